-- Reference data: the nine streets of Lianhu District and the report categories with their default
-- deadlines (response in hours, resolution in working days). Ops adjust deadlines in the Categories table.
INSERT INTO Streets (Code, Name) VALUES
    ('beiyuanmen', '北院门街道'),
    ('qingnianlu', '青年路街道'),
    ('taoyuanlu', '桃园路街道'),
    ('hongmiaopo', '红庙坡街道'),
    ('huanchengxilu', '环城西路街道'),
    ('tumen', '土门街道'),
    ('zaoyuan', '枣园街道'),
    ('xiguan', '西关街道'),
    ('beiguan', '北关街道');

INSERT INTO Categories (Code, Name, IsEmergency, Hotline, ResponseHours, ResolutionWorkingDays, SortOrder) VALUES
    ('power-gas', '用电用气', 1, '燃气泄漏：立即离开现场并拨打 119；停电抢修：拨打 95598', 1, 1, 1),
    ('water', '供水排水', 0, NULL, 4, 3, 2),
    ('sanitation', '环境卫生', 0, NULL, 24, 3, 3),
    ('property', '物业管理', 0, NULL, 24, 5, 4),
    ('roof-leak', '房屋漏水', 0, NULL, 24, 5, 5),
    ('old-estate', '老旧小区改造', 0, NULL, 48, 15, 6),
    ('mediation', '矛盾调解', 0, NULL, 24, 10, 7),
    ('home-life', '居家生活', 0, NULL, 24, 5, 8),
    ('elderly-care', '养老服务', 0, NULL, 24, 5, 9),
    ('volunteer', '志愿服务', 0, NULL, 48, 7, 10),
    ('social-org', '社会组织', 0, NULL, 48, 10, 11),
    ('other', '其他', 0, NULL, 24, 5, 12);
