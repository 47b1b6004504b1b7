// i18n-catalog.js - the strings of the workbench's item editor
// (workbench/items.html, issue 21): the list of items a person may edit, the
// edit form, and what a refused save says - above all the conflict (412) when
// someone else saved the item after it was opened.  Chinese and English;
// importing it adds them to i18n.js's dictionary, and the navigation entry
// comes with it (work-layout.js takes it in its catalog block).
import { DICT } from './i18n.js';

export const zh = {
  'title.work.items': '事项编辑',
  'work.nav.items': '事项编辑',
  'wi.intro': '修改办事指南中的事项信息。每次保存生成一个新版本，此前受理的办件仍按原版本办理。',
  'wi.introOfficer': '您可以修改本部门的事项：',
  'wi.search': '查找事项',
  'wi.search.placeholder': '事项名称或编码',
  'wi.search.go': '查找',
  'wi.none': '没有找到可编辑的事项。',
  'wi.col.code': '事项编码',
  'wi.col.name': '事项名称',
  'wi.col.dept': '实施部门',
  'wi.col.version': '版本',
  'wi.edit': '编辑',
  'wi.back': '返回事项列表',
  'wi.version': '当前版本：第 {n} 版',
  'wi.f.name': '事项名称',
  'wi.f.promised_days': '承诺时限（工作日）',
  'wi.f.legal_days': '法定时限（工作日）',
  'wi.f.fee': '收费标准',
  'wi.f.where': '办理地点',
  'wi.f.hours': '办理时间',
  'wi.f.conditions': '受理条件',
  'wi.save': '保存为新版本',
  'wi.saving': '正在保存…',
  'wi.saved': '已保存，当前为第 {n} 版。',
  'wi.conflict': '未保存：您打开此事项后，已有他人保存了新的版本（现为第 {n} 版）。为避免覆盖他人的修改，您的修改没有保存。',
  'wi.conflict.how': '请载入最新版本，核对后重新修改并保存。',
  'wi.reload': '载入最新版本',
  'wi.forbidden': '您无权修改该事项：只有事项所属部门的数据专员和系统管理员可以修改。',
  'wi.invalid': '输入有误，未保存（字段：{field}）。',
  'wi.notFound': '没有找到该事项。',
  'wi.failed': '保存失败，请稍后重试。',
};

export const en = {
  'title.work.items': 'Edit service items',
  'work.nav.items': 'Edit items',
  'wi.intro': 'Change what the service guide says about an item. Each save makes a new version; cases accepted before it keep the version they were filed under.',
  'wi.introOfficer': 'You can edit the items of your department: ',
  'wi.search': 'Find an item',
  'wi.search.placeholder': 'Item name or code',
  'wi.search.go': 'Find',
  'wi.none': 'No item you can edit was found.',
  'wi.col.code': 'Code',
  'wi.col.name': 'Item',
  'wi.col.dept': 'Department',
  'wi.col.version': 'Version',
  'wi.edit': 'Edit',
  'wi.back': 'Back to the items',
  'wi.version': 'Current version: {n}',
  'wi.f.name': 'Name of the item',
  'wi.f.promised_days': 'Promised time limit (working days)',
  'wi.f.legal_days': 'Statutory time limit (working days)',
  'wi.f.fee': 'Fees',
  'wi.f.where': 'Where',
  'wi.f.hours': 'Opening hours',
  'wi.f.conditions': 'Conditions',
  'wi.save': 'Save as a new version',
  'wi.saving': 'Saving…',
  'wi.saved': 'Saved: this is now version {n}.',
  'wi.conflict': 'Not saved: someone else saved a new version of this item after you opened it (it is now version {n}). Your changes were not saved, so as not to overwrite theirs.',
  'wi.conflict.how': 'Load the latest version, check it, then make your change again and save.',
  'wi.reload': 'Load the latest version',
  'wi.forbidden': 'You may not edit this item: only the data officers of its department and administrators can.',
  'wi.invalid': 'Something you entered is not valid; nothing was saved (field: {field}).',
  'wi.notFound': 'There is no such item.',
  'wi.failed': 'Could not save; please try again later.',
};

Object.assign(DICT['zh-CN'], zh);
Object.assign(DICT.en, en);

/** The workbench's entry (work-layout.js): who edits catalog items. */
export const WORK_NAV = [
  ['items', 'items.html', 'work.nav.items', ['admin', 'data_officer']],
];
