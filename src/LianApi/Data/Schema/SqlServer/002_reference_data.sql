-- Reference data: the nine streets of Lianhu District and the report categories with their default
-- deadlines (response in hours, resolution in working days). Ops adjust deadlines in the Categories table.
INSERT INTO Streets (Code, Name) VALUES
    (N'beiyuanmen', N'北院门街道'),
    (N'qingnianlu', N'青年路街道'),
    (N'taoyuanlu', N'桃园路街道'),
    (N'hongmiaopo', N'红庙坡街道'),
    (N'huanchengxilu', N'环城西路街道'),
    (N'tumen', N'土门街道'),
    (N'zaoyuan', N'枣园街道'),
    (N'xiguan', N'西关街道'),
    (N'beiguan', N'北关街道');

INSERT INTO Categories (Code, Name, IsEmergency, Hotline, ResponseHours, ResolutionWorkingDays, SortOrder) VALUES
    (N'power-gas', N'用电用气', 1, N'燃气泄漏：立即离开现场并拨打 119；停电抢修：拨打 95598', 1, 1, 1),
    (N'water', N'供水排水', 0, NULL, 4, 3, 2),
    (N'sanitation', N'环境卫生', 0, NULL, 24, 3, 3),
    (N'property', N'物业管理', 0, NULL, 24, 5, 4),
    (N'roof-leak', N'房屋漏水', 0, NULL, 24, 5, 5),
    (N'old-estate', N'老旧小区改造', 0, NULL, 48, 15, 6),
    (N'mediation', N'矛盾调解', 0, NULL, 24, 10, 7),
    (N'home-life', N'居家生活', 0, NULL, 24, 5, 8),
    (N'elderly-care', N'养老服务', 0, NULL, 24, 5, 9),
    (N'volunteer', N'志愿服务', 0, NULL, 48, 7, 10),
    (N'social-org', N'社会组织', 0, NULL, 48, 10, 11),
    (N'other', N'其他', 0, NULL, 24, 5, 12);
