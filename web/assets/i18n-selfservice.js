// i18n-selfservice.js - the strings of the 24-hour self-service hall: the
// kiosk's QR login, its "my cases" and "my results" screens and the locker
// pickup by code (web/kiosk/self.html), the phone's confirmation
// (kiosklogin.html), the portal's choice of delivery (delivery.html) and
// the workbench's locker and mail handover (workbench/delivery.html), in
// Chinese and English.  Importing this file adds them to the one dictionary
// (i18n.js DICT); work-layout.js imports it for its navigation row (WORK_NAV).

import { DICT } from './i18n.js';

export const zh = {
  'nav.ss.delivery': '领取结果',
  'title.ss.kiosk': '24小时自助服务',
  'title.ss.confirm': '确认自助机登录',
  'title.ss.delivery': '办件结果领取方式',
  'title.work.delivery': '取件柜与寄递',
  'work.nav.delivery': '取件与寄递',

  'ss.k.welcome': '24小时自助服务区',
  'ss.k.login': '扫码登录',
  'ss.k.login.text': '用已登录“一网通办”的手机扫码确认，免输密码',
  'ss.k.pickup': '凭码取件',
  'ss.k.pickup.text': '输入短信或消息中的6位取件码，打开取件柜格口',
  'ss.k.scan': '请用手机扫描二维码，并在手机上点击“确认登录”',
  'ss.k.waiting': '等待手机确认……',
  'ss.k.expired': '二维码已过期，请重新获取',
  'ss.k.retry': '重新获取二维码',
  'ss.k.back': '返回',
  'ss.k.hello': '{name}，您好',
  'ss.k.mycases': '我的办件',
  'ss.k.myresults': '我的结果领取',
  'ss.k.leave': '离开（退出登录）',
  'ss.k.idle': '60秒无操作将自动退出并清屏',
  'ss.k.none': '暂无记录',
  'ss.k.locker': '取件柜编号',
  'ss.k.code': '取件码',
  'ss.k.open': '开柜取件',
  'ss.k.opened': '请到取件柜 {locker} 第 {compartment} 格取件（办件 {case_no}）',
  'ss.k.key.back': '删除',
  'ss.k.key.clear': '清空',

  'ss.c.title': '确认在自助机登录',
  'ss.c.text': '自助机 {kiosk} 请求以您的身份登录。请确认您本人正在这台自助机前。',
  'ss.c.confirm': '确认登录',
  'ss.c.done': '已确认，请在自助机上继续办理。',
  'ss.c.bad': '登录请求无效或已过期，请在自助机上重新获取二维码。',

  'ss.d.title': '办件结果领取方式',
  'ss.d.intro': '准予许可并产生纸质证照的办件，可选择窗口领取、自助柜取件或邮寄送达。结果寄出或放入取件柜前可以修改。',
  'ss.d.none': '暂无需要领取的纸质结果。',
  'ss.d.case': '办件编号',
  'ss.d.result': '结果',
  'ss.d.method': '领取方式',
  'ss.d.status': '状态',
  'ss.d.m.': '未选择',
  'ss.d.m.window': '窗口领取',
  'ss.d.m.locker': '自助柜取件',
  'ss.d.m.mail': '邮寄送达',
  'ss.d.s.pending': '待领取',
  'ss.d.s.in_locker': '已放入取件柜',
  'ss.d.s.shipped': '已寄出',
  'ss.d.s.done': '已领取/已送达',
  'ss.d.recipient': '收件人',
  'ss.d.phone': '手机号码',
  'ss.d.address': '收件地址',
  'ss.d.save': '保存',
  'ss.d.saved': '已保存',
  'ss.d.tracking': '{carrier} 运单号 {tracking_no}',
  'ss.d.inlocker': '取件柜 {locker} 第 {compartment} 格，取件码见“消息”',

  'ss.w.title': '取件柜与寄递',
  'ss.w.lockers': '取件柜',
  'ss.w.free': '空闲 {free} / 共 {n} 格',
  'ss.w.todo': '待处理',
  'ss.w.put': '放入取件柜',
  'ss.w.ship': '寄出',
  'ss.w.tracking': '运单号（人工录入）',
  'ss.w.handover': '确认交付',
  'ss.w.delivered': '确认送达',
};

export const en = {
  'nav.ss.delivery': 'Collect results',
  'title.ss.kiosk': '24-hour self-service',
  'title.ss.confirm': 'Confirm the kiosk login',
  'title.ss.delivery': 'How to receive results',
  'title.work.delivery': 'Lockers and mail',
  'work.nav.delivery': 'Lockers & mail',

  'ss.k.welcome': '24-hour self-service hall',
  'ss.k.login': 'Log in by QR code',
  'ss.k.login.text': 'Scan with your phone logged in to the portal and confirm: no password',
  'ss.k.pickup': 'Collect with a code',
  'ss.k.pickup.text': 'Type the 6-digit pickup code from your messages to open the locker',
  'ss.k.scan': 'Scan the QR code with your phone and tap "Confirm" there',
  'ss.k.waiting': 'Waiting for your phone…',
  'ss.k.expired': 'The QR code has expired: get a new one',
  'ss.k.retry': 'New QR code',
  'ss.k.back': 'Back',
  'ss.k.hello': 'Hello, {name}',
  'ss.k.mycases': 'My cases',
  'ss.k.myresults': 'My results',
  'ss.k.leave': 'Leave (log out)',
  'ss.k.idle': 'After 60 s without a touch you are logged out and the screen clears',
  'ss.k.none': 'Nothing yet',
  'ss.k.locker': 'Locker',
  'ss.k.code': 'Pickup code',
  'ss.k.open': 'Open',
  'ss.k.opened': 'Take your result from locker {locker}, compartment {compartment} (case {case_no})',
  'ss.k.key.back': 'Delete',
  'ss.k.key.clear': 'Clear',

  'ss.c.title': 'Log in at the kiosk',
  'ss.c.text': 'Kiosk {kiosk} asks to log in as you. Confirm only if you are standing at it.',
  'ss.c.confirm': 'Confirm',
  'ss.c.done': 'Confirmed: continue at the kiosk.',
  'ss.c.bad': 'The login request is not valid or has expired: get a new QR code at the kiosk.',

  'ss.d.title': 'How to receive results',
  'ss.d.intro': 'For an approved case with a paper certificate, choose the window, a self-service locker or mail. You can change it until the result is in a locker or mailed.',
  'ss.d.none': 'No paper result to receive.',
  'ss.d.case': 'Case',
  'ss.d.result': 'Result',
  'ss.d.method': 'How',
  'ss.d.status': 'Status',
  'ss.d.m.': 'Not chosen',
  'ss.d.m.window': 'At the window',
  'ss.d.m.locker': 'Self-service locker',
  'ss.d.m.mail': 'By mail',
  'ss.d.s.pending': 'Waiting',
  'ss.d.s.in_locker': 'In a locker',
  'ss.d.s.shipped': 'Mailed',
  'ss.d.s.done': 'Received',
  'ss.d.recipient': 'Recipient',
  'ss.d.phone': 'Mobile number',
  'ss.d.address': 'Address',
  'ss.d.save': 'Save',
  'ss.d.saved': 'Saved',
  'ss.d.tracking': '{carrier} tracking number {tracking_no}',
  'ss.d.inlocker': 'Locker {locker}, compartment {compartment}; the code is in your messages',

  'ss.w.title': 'Lockers and mail',
  'ss.w.lockers': 'Lockers',
  'ss.w.free': '{free} free of {n}',
  'ss.w.todo': 'To do',
  'ss.w.put': 'Put in locker',
  'ss.w.ship': 'Mail',
  'ss.w.tracking': 'Tracking number (manual)',
  'ss.w.handover': 'Handed over',
  'ss.w.delivered': 'Delivered',
};

Object.assign(DICT['zh-CN'], zh);
Object.assign(DICT.en, en);

/* The workbench's navigation row ([key, page, label, roles]; work-layout.js),
 * and the portal's (NAV) for when layout.js takes it: delivery.html is reached
 * from the inbox's messages for now, as a portal row would change the
 * navigation tests/e2e/i18n.test.js checks. */
export const NAV = [['ss-delivery', 'delivery.html', 'nav.ss.delivery']];
export const WORK_NAV = [['delivery', 'delivery.html', 'work.nav.delivery', ['window_clerk', 'supervisor', 'admin']]];
