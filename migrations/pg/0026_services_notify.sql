-- 0026_services_notify: message templates an administrator edits, the
-- sender's record of an attempt in flight (src/services/notify.c, mailer.c),
-- and indexes for the estimated wait per item (queue.c).
--
-- svc_templates: one row per event template and language, seeded with the
-- texts built into the first release; {name} placeholders are filled from the
-- event, and only the names listed in vars (what the event provides) may be
-- used.  The message is rendered when it is queued, from this table.
--
-- svc_outbox.sending_since: set (durably, by the claim's commit) before a
-- message is handed to the SMTP server or SMS gateway, cleared with the
-- outcome.  A claim that finds it set is recovering a message whose sender
-- died mid-attempt (in_doubt = 1): the sender asks the relay whether that
-- message (its Message-ID is <outbox id>.<channel>) was accepted before it
-- sends again.
CREATE TABLE svc_templates (
    name        TEXT NOT NULL,
    lang        TEXT NOT NULL CHECK (lang IN ('zh', 'en')),
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    vars        TEXT NOT NULL,               -- the placeholders it may use, comma-separated
    updated_at  TEXT NOT NULL DEFAULT '',
    updated_by  TEXT NOT NULL DEFAULT '',    -- '' = the built-in text
    PRIMARY KEY (name, lang)
);
INSERT INTO svc_templates (name, lang, title, body, vars) VALUES
    ('appointment.confirmed', 'zh', '预约成功：{item}', '您已预约 {day} {time} 在{window}办理“{item}”，预约号 {code}。请携带身份证件提前到自助机签到取号。', 'code,day,item,time,window'),
    ('appointment.confirmed', 'en', 'Booked: {item}', 'You booked {item} on {day} at {time}, {window}. Booking {code}: check in at a kiosk with your ID card.', 'code,day,item,time,window'),
    ('appointment.rescheduled', 'zh', '预约已改期：{item}', '您的预约 {code} 已改为 {day} {time}，{window}。', 'code,day,item,time,window'),
    ('appointment.rescheduled', 'en', 'Booking moved: {item}', 'Booking {code} is now on {day} at {time}, {window}.', 'code,day,item,time,window'),
    ('appointment.cancelled', 'zh', '预约已取消：{item}', '您的预约 {code}（{day} {time}）已取消。', 'code,day,item,time'),
    ('appointment.cancelled', 'en', 'Booking cancelled: {item}', 'Booking {code} ({day} {time}) was cancelled.', 'code,day,item,time'),
    ('appointment.reminder', 'zh', '明日预约提醒：{item}', '提醒：您预约了明天 {day} {time} 在{window}办理“{item}”，预约号 {code}。', 'code,day,item,time,window'),
    ('appointment.reminder', 'en', 'Reminder: {item} tomorrow', 'Reminder: {item} tomorrow, {day} at {time}, {window}. Booking {code}.', 'code,day,item,time,window'),
    ('case.accepted', 'zh', '办件已受理：{title}', '您的办件 {case_no}（{title}）已受理。', 'case_no,title'),
    ('case.accepted', 'en', 'Case accepted: {title}', 'Your case {case_no} ({title}) was accepted.', 'case_no,title'),
    ('case.supplement_requested', 'zh', '请补正材料：{title}', '您的办件 {case_no}（{title}）需要补正材料，请在“我的办件”中查看一次性告知书。', 'case_no,title'),
    ('case.supplement_requested', 'en', 'Please supplement: {title}', 'Your case {case_no} ({title}) needs more documents: see the notice in My cases.', 'case_no,title'),
    ('case.approved', 'zh', '办件已办结：{title}', '您的办件 {case_no}（{title}）已准予许可。欢迎评价。', 'case_no,title'),
    ('case.approved', 'en', 'Case approved: {title}', 'Your case {case_no} ({title}) was approved. Please rate it.', 'case_no,title'),
    ('case.denied', 'zh', '办件已办结：{title}', '您的办件 {case_no}（{title}）不予许可，详见决定书。欢迎评价。', 'case_no,title'),
    ('case.denied', 'en', 'Case decided: {title}', 'Your case {case_no} ({title}) was denied: see the decision.', 'case_no,title'),
    ('case.not_accepted', 'zh', '办件不予受理：{title}', '您的办件 {case_no}（{title}）不予受理，详见告知书。', 'case_no,title'),
    ('case.not_accepted', 'en', 'Case not accepted: {title}', 'Your case {case_no} ({title}) was not accepted.', 'case_no,title'),
    ('license.issued', 'zh', '电子证照已签发：{title}', '您的电子证照“{title}”已签发，可在“我的证照”中查看。', 'id,title'),
    ('license.issued', 'en', 'License issued: {title}', 'Your e-license "{title}" was issued: see My licenses.', 'id,title'),
    ('rating.requested', 'zh', '请评价：{item}', '您在{window}办理的“{item}”（{number}）已办结，欢迎评价。', 'item,number,window'),
    ('rating.requested', 'en', 'Please rate: {item}', 'Your visit for {item} ({number}) at {window} is done: please rate it.', 'item,number,window'),
    ('rectification.reported', 'zh', '整改反馈：{title}', '您对“{title}”的评价已整改：{outcome}。欢迎评价整改结果。', 'outcome,title'),
    ('rectification.reported', 'en', 'Rectification reported: {title}', 'Your rating of {title} was followed up: {outcome}.', 'outcome,title'),
    ('hotline.order_answered', 'zh', '12345 诉求已答复：{order_no}', '您在网上反映的诉求 {order_no} 已由承办部门答复，请在“12345 热线”页查看答复并评价。', 'order_no'),
    ('hotline.order_answered', 'en', '12345 report answered: {order_no}', 'Your report {order_no} was answered by the department: see the answer on the 12345 page and rate it.', 'order_no'),
    ('hotline.order_closed', 'zh', '12345 诉求已办结：{order_no}', '您在网上反映的诉求 {order_no} 已办结，欢迎评价。', 'order_no'),
    ('hotline.order_closed', 'en', '12345 report closed: {order_no}', 'Your report {order_no} was closed. Please rate it.', 'order_no'),
    ('delivery.locker_ready', 'zh', '请到自助柜取件：{title}', '您的办件 {case_no}（{title}）的结果已放入自助取件柜 {locker} 第 {compartment} 格，取件码 {code}。请在自助服务区的取件柜或自助机输入取件码取件。', 'carrier,case_no,code,compartment,locker,method,title,tracking_no'),
    ('delivery.locker_ready', 'en', 'Ready in a locker: {title}', 'The result of your case {case_no} ({title}) is in locker {locker}, compartment {compartment}. Pickup code {code}: type it at the locker or a kiosk.', 'carrier,case_no,code,compartment,locker,method,title,tracking_no'),
    ('delivery.shipped', 'zh', '结果已寄出：{title}', '您的办件 {case_no}（{title}）的结果已由{carrier}寄出，运单号 {tracking_no}。', 'carrier,case_no,code,compartment,locker,method,title,tracking_no'),
    ('delivery.shipped', 'en', 'Result mailed: {title}', 'The result of your case {case_no} ({title}) was mailed by {carrier}, tracking number {tracking_no}.', 'carrier,case_no,code,compartment,locker,method,title,tracking_no'),
    ('delivery.done', 'zh', '结果已领取：{title}', '您的办件 {case_no}（{title}）的结果已送达或领取。', 'carrier,case_no,code,compartment,locker,method,title,tracking_no'),
    ('delivery.done', 'en', 'Result received: {title}', 'The result of your case {case_no} ({title}) was delivered or collected.', 'carrier,case_no,code,compartment,locker,method,title,tracking_no'),
    ('consultation.answered', 'zh', '咨询已答复：{item}', '您关于“{item}”的咨询已答复：{answer}', 'answer,item'),
    ('consultation.answered', 'en', 'Question answered: {item}', 'Your question about {item} was answered: {answer}', 'answer,item');

ALTER TABLE svc_outbox ADD COLUMN sending_since TEXT NOT NULL DEFAULT '';
ALTER TABLE svc_outbox ADD COLUMN in_doubt INTEGER NOT NULL DEFAULT 0;


-- The estimated wait reads an item's (or its department's) last finished
-- visits (src/services/queue.c).
CREATE INDEX svc_tickets_item_done ON svc_tickets (item_code, status, id);
CREATE INDEX svc_tickets_dept_done ON svc_tickets (dept, status, id);
