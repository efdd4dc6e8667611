// The map page (Leaflet, /lib/leaflet): the server puts the figures in data-map — the tile layer if one is configured,
// a circle per community (its cases, its worst urgency) and a dot per case with a location — already in the tiles'
// coordinate system. Without tiles the points are drawn on a blank background.
(function () {
  'use strict';
  var element = document.getElementById('map');
  if (!element || !window.L) { return; }
  var data = JSON.parse(element.dataset.map);
  var colours = { 'overdue': '#d64545', 'due-soon': '#e8a317', 'normal': '#2f6fde' };
  var map = L.map(element, { preferCanvas: false, attributionControl: true });
  if (data.tiles) {
    L.tileLayer(data.tiles.url, { attribution: data.tiles.attribution, subdomains: data.tiles.subdomains, maxZoom: 18 }).addTo(map);
  }
  var bounds = [];
  data.communities.forEach(function (c) {
    L.circle([c.lat, c.lng], { radius: 120 + 40 * Math.sqrt(c.count), color: colours[c.urgency], weight: 1, fillOpacity: 0.15 })
      .bindTooltip(c.name + '：' + c.count + ' 件').addTo(map);
    bounds.push([c.lat, c.lng]);
  });
  data.points.forEach(function (p) {
    var marker = L.circleMarker([p.lat, p.lng], { radius: 7, color: '#fff', weight: 2, fillColor: colours[p.urgency], fillOpacity: 0.95 });
    marker.bindPopup('<a href="' + p.href + '"></a>').on('popupopen', function (e) {
      // Text, not HTML: a case's label is the resident's category and status, still never parsed as markup.
      e.popup.getElement().querySelector('a').textContent = p.label;
    });
    marker.addTo(map);
    bounds.push([p.lat, p.lng]);
  });
  if (bounds.length > 0) {
    map.fitBounds(bounds, { padding: [30, 30], maxZoom: 16 });
  } else {
    map.setView([34.2655, 108.9256], 13); // 莲湖区
  }
  element.dataset.drawn = String(data.points.length);
})();
