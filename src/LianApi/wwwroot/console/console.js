// The console's only script. Pages work without it; it adds the two live parts, by asking the server (no Blazor circuit,
// no WebSocket): any instance behind the load balancer can answer, since the answers come from the shared database.
(function () {
  'use strict';

  // 扫码登录: ask whether the ticket shown was approved; the answer sets the session cookie, then we go in.
  var wait = document.getElementById('login-wait');
  if (wait && wait.dataset.ticket) {
    var ticket = wait.dataset.ticket;
    var target = wait.dataset.return || '/console';
    var loginTimer = setInterval(function () {
      fetch('/console/login/wait?ticket=' + encodeURIComponent(ticket) + '&returnUrl=' + encodeURIComponent(target),
        { method: 'POST', credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (answer) {
          if (!answer) { return; }
          if (answer.status === 'approved' && answer.next) {
            clearInterval(loginTimer);
            wait.textContent = '已确认，正在进入工作台…';
            window.location.assign(answer.next);
          } else if (answer.status === 'expired' || answer.status === 'used' || answer.status === 'unknown') {
            clearInterval(loginTimer);
            wait.textContent = '二维码已失效，请点击“刷新二维码”。';
            wait.classList.add('expired');
          }
        })
        .catch(function () { /* the next tick asks again */ });
    }, 2000);
  }

  // 工作台 / 大屏: every 2.5 s ask for the newest step of any case; when it moved (or a minute passed: deadlines move
  // with the clock alone) fetch the figures again and swap them in, without reloading the page.
  var wall = document.getElementById('wall');
  if (wall && wall.dataset.poll && wall.dataset.source) {
    var panelVersion = function () {
      var panel = wall.querySelector('.wall-panel');
      return panel ? panel.dataset.version : null;
    };
    var lastRefresh = Date.now();
    var busy = false;
    var refresh = function () {
      return fetch(wall.dataset.source, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
        .then(function (r) {
          if (r.status === 401) { window.location.reload(); return null; }
          return r.ok ? r.text() : null;
        })
        .then(function (html) {
          if (html !== null) {
            wall.innerHTML = html;
            lastRefresh = Date.now();
          }
        });
    };
    setInterval(function () {
      if (busy) { return; }
      busy = true;
      fetch(wall.dataset.poll, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
        .then(function (r) {
          if (r.status === 401) { window.location.reload(); return null; }
          return r.ok ? r.json() : null;
        })
        .then(function (answer) {
          if (answer && (String(answer.version) !== panelVersion() || Date.now() - lastRefresh > 60000)) {
            return refresh();
          }
          return null;
        })
        .catch(function () { /* the next tick asks again */ })
        .then(function () { busy = false; });
    }, 2500);
  }
})();
