-- 0034_services_delivery_texts: the delivery messages after issue 20's second
-- part.  The pickup code no longer travels in delivery.notice (it rests
-- nowhere; the owner asks for it on the delivery page or opens the locker
-- logged in at a kiosk), so the locker message points there instead of
-- printing {code}; and results sent back from a locker after their days
-- (kind 'returned') now have a message.  A text an administrator already
-- edited (updated_by <> '') is left as it is.
-- Never edit: add a new number.
UPDATE svc_templates
   SET body = '您的办件 {case_no}（{title}）的结果已放入自助取件柜 {locker} 第 {compartment} 格。请在“结果领取”页获取取件码，或在自助机登录后直接开柜取件。',
       vars = 'carrier,case_no,compartment,locker,method,ref,title,tracking_no'
 WHERE name = 'delivery.locker_ready' AND lang = 'zh' AND updated_by = '';
UPDATE svc_templates
   SET body = 'The result of your case {case_no} ({title}) is in locker {locker}, compartment {compartment}. Get the pickup code on your delivery page, or log in at a kiosk and the locker opens for you.',
       vars = 'carrier,case_no,compartment,locker,method,ref,title,tracking_no'
 WHERE name = 'delivery.locker_ready' AND lang = 'en' AND updated_by = '';
INSERT INTO svc_templates (name, lang, title, body, vars) VALUES
    ('delivery.returned', 'zh', '结果已退回窗口：{title}', '您的办件 {case_no}（{title}）的结果在取件柜中超过保管期限未领取，已退回办事窗口，请携带身份证件到窗口领取。', 'carrier,case_no,compartment,locker,method,ref,title,tracking_no'),
    ('delivery.returned', 'en', 'Result back at the window: {title}', 'The result of your case {case_no} ({title}) was not collected from the locker in time and is back at the service window: collect it there with your ID card.', 'carrier,case_no,compartment,locker,method,ref,title,tracking_no');
