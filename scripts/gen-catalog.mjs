#!/usr/bin/env node
// scripts/gen-catalog.mjs - generate the service-catalog seed data for
// Shanghai Xuhui district (310104) into data/catalog/*.json.
//
//   node scripts/gen-catalog.mjs            write the files, print counts
//   node scripts/gen-catalog.mjs --check    generate in memory and compare
//                                           with the committed files
//
// Deterministic: no clock, no randomness, no npm dependencies.  All content
// comes from the curated lists below; per-item variation (jitter of
// popularity, promised days) is derived from an FNV-1a hash of the item name,
// so the output only changes when the lists change.
//
// Target figures come from the district's own account (徐汇区, 2019): 29
// departments hold 418 法人 items; 167 个人 items are handled "同城通办" at the
// service centre; 78 e-license types from 18 departments; 210 materials are
// mutually recognised via e-licenses; 企业开办 in 3 working days; 不动产交易
// "三位一体" in 5 working days; joint construction approval in 41 days.
import { writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'data', 'catalog');

const EXPECT = {
  departments: 29,
  licenseTypes: 78,
  issuingDepts: 18,
  enterprise: 418,
  person: 167,
  minLicenseMaterials: 210,
  bundles: 3,
};

// ---------------------------------------------------------------------------
// helpers
function fnv(s) {
  let h = 0x811c9dc5;
  for (const ch of Buffer.from(s, 'utf8')) {
    h ^= ch;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
const pick = (arr, key) => arr[fnv(key) % arr.length];
const jitter = (key, lo, hi) => lo + (fnv(key) % (hi - lo + 1));
const failures = [];
function check(cond, msg) {
  if (!cond) failures.push(msg);
}

const CENTRE = '徐汇区行政服务中心（漕溪北路336号）';
const HOURS = '周一至周五 9:00-17:00，周六 9:00-12:00';

// ---------------------------------------------------------------------------
// 1. departments (29)
// [code, name, name_en, short, phone, address]
// Phones and door numbers are illustrative seed values on real Xuhui roads;
// replace them with the published ones before going live.
const DEPTS = [
  ['XH-ZWFW', '上海市徐汇区行政服务中心', 'Xuhui District Administrative Service Center', '区行政服务中心', '021-64872222', '上海市徐汇区漕溪北路336号'],
  ['XH-DSJ', '上海市徐汇区大数据中心', 'Xuhui District Big Data Center', '区大数据中心', '021-64872688', '上海市徐汇区漕溪北路336号'],
  ['XH-12345', '上海市12345市民服务热线徐汇分中心', 'Shanghai 12345 Citizen Service Hotline, Xuhui Sub-center', '12345徐汇分中心', '021-12345', '上海市徐汇区漕溪北路336号'],
  ['XH-FGW', '上海市徐汇区发展和改革委员会', 'Xuhui District Development and Reform Commission', '区发展改革委', '021-64872931', '上海市徐汇区漕溪北路336号'],
  ['XH-SWW', '上海市徐汇区商务委员会', 'Xuhui District Commission of Commerce', '区商务委', '021-64872956', '上海市徐汇区漕溪北路336号'],
  ['XH-KWW', '上海市徐汇区科学技术委员会', 'Xuhui District Science and Technology Commission', '区科委', '021-64872937', '上海市徐汇区漕溪北路336号'],
  ['XH-JYJ', '上海市徐汇区教育局', 'Xuhui District Education Bureau', '区教育局', '021-64878520', '上海市徐汇区宛平南路88号'],
  ['XH-GAFJ', '上海市公安局徐汇分局', 'Xuhui Sub-bureau of Shanghai Municipal Public Security Bureau', '徐汇公安分局', '021-64861200', '上海市徐汇区漕溪北路18号'],
  ['XH-MZJ', '上海市徐汇区民政局', 'Xuhui District Civil Affairs Bureau', '区民政局', '021-64878611', '上海市徐汇区南丹东路300弄'],
  ['XH-SFJ', '上海市徐汇区司法局', 'Xuhui District Justice Bureau', '区司法局', '021-64872751', '上海市徐汇区南丹东路109号'],
  ['XH-CZJ', '上海市徐汇区财政局', 'Xuhui District Finance Bureau', '区财政局', '021-64872966', '上海市徐汇区漕溪北路336号'],
  ['XH-RSJ', '上海市徐汇区人力资源和社会保障局', 'Xuhui District Human Resources and Social Security Bureau', '区人力资源社会保障局', '021-64871980', '上海市徐汇区南宁路969号'],
  ['XH-GHZYJ', '上海市徐汇区规划和自然资源局', 'Xuhui District Planning and Natural Resources Bureau', '区规划资源局', '021-64876688', '上海市徐汇区漕溪北路331号'],
  ['XH-STHJJ', '上海市徐汇区生态环境局', 'Xuhui District Ecology and Environment Bureau', '区生态环境局', '021-64876105', '上海市徐汇区虹漕路461号'],
  ['XH-JSGLW', '上海市徐汇区建设和管理委员会', 'Xuhui District Construction and Management Commission', '区建设管理委', '021-64878866', '上海市徐汇区天钥桥路100号'],
  ['XH-FGJ', '上海市徐汇区房屋管理局', 'Xuhui District Housing Administration Bureau', '区房管局', '021-64869900', '上海市徐汇区零陵路635号'],
  ['XH-LRJ', '上海市徐汇区绿化和市容管理局', 'Xuhui District Landscaping and City Appearance Administration Bureau', '区绿化市容局', '021-64383122', '上海市徐汇区龙华中路600号'],
  ['XH-SWJ', '国家税务总局上海市徐汇区税务局', 'Xuhui District Taxation Bureau, Shanghai Tax Service, State Taxation Administration', '徐汇区税务局', '021-64878800', '上海市徐汇区衡山路920号'],
  ['XH-SCJ', '上海市徐汇区市场监督管理局', 'Xuhui District Administration for Market Regulation', '区市场监管局', '021-64872050', '上海市徐汇区漕溪北路595号'],
  ['XH-WJW', '上海市徐汇区卫生健康委员会', 'Xuhui District Health Commission', '区卫生健康委', '021-64878810', '上海市徐汇区斜土路2140号'],
  ['XH-WHLYJ', '上海市徐汇区文化和旅游局', 'Xuhui District Culture and Tourism Bureau', '区文化旅游局', '021-64875025', '上海市徐汇区漕溪北路1111号'],
  ['XH-TYJ', '上海市徐汇区体育局', 'Xuhui District Sports Bureau', '区体育局', '021-64387788', '上海市徐汇区中山南二路1800号'],
  ['XH-YJGLJ', '上海市徐汇区应急管理局', 'Xuhui District Emergency Management Bureau', '区应急管理局', '021-64872119', '上海市徐汇区田林路140号'],
  ['XH-TYJRSWJ', '上海市徐汇区退役军人事务局', 'Xuhui District Veterans Affairs Bureau', '区退役军人事务局', '021-64878081', '上海市徐汇区钦州路100号'],
  ['XH-YBJ', '上海市徐汇区医疗保障局', 'Xuhui District Healthcare Security Bureau', '区医保局', '021-64873320', '上海市徐汇区南宁路969号'],
  ['XH-XFJ', '上海市徐汇区消防救援支队', 'Xuhui District Fire and Rescue Detachment', '徐汇消防救援支队', '021-64861119', '上海市徐汇区宜山路218号'],
  ['XH-RFB', '上海市徐汇区民防办公室', 'Xuhui District Civil Defense Office', '区民防办', '021-64872310', '上海市徐汇区漕溪北路336号'],
  ['XH-GJJ', '上海市公积金管理中心徐汇区管理部', 'Shanghai Provident Fund Management Center, Xuhui Branch', '公积金徐汇管理部', '021-64680012', '上海市徐汇区漕宝路36号'],
  ['XH-CL', '上海市徐汇区残疾人联合会', 'Xuhui District Disabled Persons\' Federation', '区残联', '021-64871310', '上海市徐汇区吴中路25号'],
];

// ---------------------------------------------------------------------------
// 2. e-license types (78 from 18 departments)
// [name, name_en, dept, holder P|E, validity_years, fields "key:label:type"]
// (each field also gets label_en, its English label from LABEL_EN)
const T = 'text', D = 'date', N = 'number', ID = 'id_number', U = 'uscc', A = 'address';
// English labels of the certificates' fields, keyed by the Chinese label, as
// such fields are rendered on the English side of Chinese official documents.
// Every label used in LTYPES must be here (checked below).  项目 is only used
// by 社会体育指导员证书, where it names the sport.
const LABEL_EN = {
  '名称': 'Name',
  '统一社会信用代码': 'Unified Social Credit Code',
  '法定代表人': 'Legal Representative',
  '类型': 'Type',
  '注册资本（万元）': 'Registered Capital (10,000 CNY)',
  '住所': 'Domicile',
  '经营范围': 'Business Scope',
  '成立日期': 'Date of Establishment',
  '经营者名称': 'Operator Name',
  '社会信用代码': 'Social Credit Code',
  '法定代表人（负责人）': 'Legal Representative (Person in Charge)',
  '经营场所': 'Business Premises',
  '主体业态': 'Main Business Format',
  '经营项目': 'Business Items',
  '许可证编号': 'License No.',
  '有效期至': 'Valid Until',
  '生产者名称': 'Producer Name',
  '生产地址': 'Production Address',
  '食品类别': 'Food Category',
  '企业名称': 'Enterprise Name',
  '质量负责人': 'Quality Manager',
  '注册地址': 'Registered Address',
  '经营方式': 'Mode of Operation',
  '备案编号': 'Filing No.',
  '备案日期': 'Filing Date',
  '使用单位': 'User Entity',
  '设备种类': 'Equipment Category',
  '设备代码': 'Equipment Code',
  '设备使用地点': 'Place of Use',
  '登记证编号': 'Registration Certificate No.',
  '发证日期': 'Date of Issue',
  '机构名称': 'Institution Name',
  '机构类型': 'Institution Type',
  '负责人': 'Person in Charge',
  '小作坊名称': 'Workshop Name',
  '经营者': 'Operator',
  '生产加工场所': 'Production and Processing Site',
  '食品种类': 'Food Types',
  '纳税人名称': 'Taxpayer Name',
  '纳税人识别号': 'Taxpayer Identification No.',
  '税种': 'Tax Type',
  '实缴金额（元）': 'Amount Paid (CNY)',
  '税款所属时期': 'Tax Period',
  '填发日期': 'Date Issued',
  '证明编号': 'Certificate No.',
  '地址': 'Address',
  '登记注册类型': 'Registration Type',
  '持证单位': 'License Holder',
  '服务范围': 'Service Scope',
  '姓名': 'Name',
  '社会保障号码': 'Social Security No.',
  '卡号': 'Card No.',
  '服务银行': 'Service Bank',
  '发卡日期': 'Card Issue Date',
  '公民身份号码': 'Citizen ID Number',
  '证书编号': 'Certificate No.',
  '户籍地': 'Place of Household Registration',
  '职业（工种）': 'Occupation (Trade)',
  '等级': 'Level',
  '评价机构': 'Assessment Body',
  '学校名称': 'School Name',
  '校长': 'Principal',
  '办学地址': 'School Address',
  '培训项目': 'Training Programs',
  '建设单位': 'Developer',
  '建设项目名称': 'Construction Project Name',
  '建设位置': 'Construction Location',
  '建设规模（平方米）': 'Construction Scale (m²)',
  '用地单位': 'Land User',
  '用地项目名称': 'Land Use Project Name',
  '用地位置': 'Land Location',
  '用地面积（平方米）': 'Land Area (m²)',
  '用地性质': 'Land Use Type',
  '项目名称': 'Project Name',
  '拟选位置': 'Proposed Site',
  '拟用地面积（平方米）': 'Proposed Land Area (m²)',
  '文号': 'Document No.',
  '核发日期': 'Date of Issue',
  '权利人': 'Right Holder',
  '证件号码': 'Document No.',
  '共有情况': 'Co-ownership',
  '坐落': 'Location',
  '不动产单元号': 'Real Estate Unit No.',
  '面积（平方米）': 'Area (m²)',
  '用途': 'Purpose',
  '证书号': 'Certificate No.',
  '义务人': 'Obligor',
  '证明权利或事项': 'Right or Matter Certified',
  '证明号': 'Certificate No.',
  '登记日期': 'Registration Date',
  '验收建筑面积（平方米）': 'Accepted Floor Area (m²)',
  '合格证编号': 'Acceptance Certificate No.',
  '资质等级': 'Qualification Grade',
  '开发企业': 'Development Enterprise',
  '房屋坐落': 'Property Location',
  '预售面积（平方米）': 'Pre-sale Area (m²)',
  '出租人': 'Lessor',
  '承租人': 'Lessee',
  '承租人证件号码': 'Lessee\'s ID Document No.',
  '租赁期限': 'Lease Term',
  '备案证明编号': 'Filing Certificate No.',
  '居住面积（平方米）': 'Living Area (m²)',
  '凭证编号': 'Certificate No.',
  '申请人': 'Applicant',
  '家庭人数': 'Household Size',
  '申请批次': 'Application Batch',
  '出具日期': 'Date of Issue',
  '性别': 'Sex',
  '民族': 'Ethnicity',
  '出生日期': 'Date of Birth',
  '住址': 'Address',
  '签发机关': 'Issuing Authority',
  '有效期限至': 'Valid Until',
  '户主姓名': 'Name of Head of Household',
  '户号': 'Household No.',
  '户别': 'Household Type',
  '与户主关系': 'Relationship to Head of Household',
  '居住地址': 'Residential Address',
  '签发日期': 'Date of Issue',
  '经营地址': 'Business Address',
  '客房数': 'Number of Guest Rooms',
  '持证人': 'Holder',
  '持证人身份证件号': 'Holder\'s ID Document No.',
  '配偶姓名': 'Spouse\'s Name',
  '配偶身份证件号': 'Spouse\'s ID Document No.',
  '结婚证字号': 'Marriage Certificate No.',
  '登记机关': 'Registration Authority',
  '原配偶姓名': 'Former Spouse\'s Name',
  '离婚证字号': 'Divorce Certificate No.',
  '身份证件号': 'ID Document No.',
  '婚姻登记记录': 'Marriage Registration Records',
  '业务范围': 'Scope of Activities',
  '业务主管单位': 'Supervising Authority',
  '开办资金（万元）': 'Start-up Funds (10,000 CNY)',
  '收养人': 'Adopter',
  '收养人身份证件号': 'Adopter\'s ID Document No.',
  '被收养人': 'Adoptee',
  '收养登记证字号': 'Adoption Registration Certificate No.',
  '养老机构名称': 'Elderly Care Institution Name',
  '服务场所': 'Service Premises',
  '床位数': 'Number of Beds',
  '新生儿姓名': 'Newborn\'s Name',
  '出生时间': 'Time of Birth',
  '出生地点': 'Place of Birth',
  '母亲姓名': 'Mother\'s Name',
  '母亲有效身份证件号码': 'Mother\'s Valid ID Document No.',
  '父亲姓名': 'Father\'s Name',
  '出生医学证明编号': 'Medical Certificate of Birth No.',
  '类别': 'Category',
  '诊疗科目': 'Diagnosis and Treatment Subjects',
  '登记号': 'Registration No.',
  '单位名称': 'Organization Name',
  '许可项目': 'Licensed Items',
  '执业类别': 'Practice Category',
  '执业范围': 'Scope of Practice',
  '主要执业机构': 'Principal Place of Practice',
  '证书编码': 'Certificate Code',
  '执业地点': 'Place of Practice',
  '注册日期': 'Registration Date',
  '注册有效期至': 'Registration Valid Until',
  '医疗机构名称': 'Medical Institution Name',
  '子女姓名': 'Child\'s Name',
  '子女出生日期': 'Child\'s Date of Birth',
  '生产经营场所地址': 'Production and Business Premises Address',
  '行业类别': 'Industry Category',
  '种类和范围': 'Types and Scope',
  '身份证件号码': 'ID Document No.',
  '资格种类': 'Qualification Type',
  '任教学科': 'Teaching Subject',
  '证书号码': 'Certificate No.',
  '学校类型': 'School Type',
  '成绩': 'Score',
  '经营类别': 'Business Category',
  '许可范围': 'Licensed Scope',
  '品种': 'Varieties',
  '预案名称': 'Plan Name',
  '详细地址': 'Detailed Address',
  '资质类别及等级': 'Qualification Category and Grade',
  '工程名称': 'Project Name',
  '建设地址': 'Construction Address',
  '合同价格（万元）': 'Contract Price (10,000 CNY)',
  '施工单位': 'Construction Contractor',
  '编号': 'No.',
  '工程地址': 'Project Address',
  '建筑面积（平方米）': 'Floor Area (m²)',
  '排水户名称': 'Discharger Name',
  '排水户地址': 'Discharger Address',
  '排水类别': 'Discharge Category',
  '许可排水量（立方米/日）': 'Permitted Discharge (m³/day)',
  '设备类型': 'Equipment Type',
  '使用登记编号': 'Use Registration No.',
  '法定代表人（主要负责人）': 'Legal Representative (Principal Person in Charge)',
  '场所地址': 'Premises Address',
  '使用面积（平方米）': 'Usable Area (m²)',
  '残疾类别': 'Disability Category',
  '残疾等级': 'Disability Level',
  '残疾人证号': 'Disability Certificate No.',
  '国籍': 'Nationality',
  '护照号码': 'Passport No.',
  '工作单位': 'Employer',
  '人员类别': 'Personnel Category',
  '卖方（受托方）': 'Seller (Trustee)',
  '合同名称': 'Contract Name',
  '合同类型': 'Contract Type',
  '成交金额（万元）': 'Transaction Amount (10,000 CNY)',
  '登记编号': 'Registration No.',
  '仓储地址': 'Warehouse Address',
  '回收品种': 'Recycled Material Types',
  '项目': 'Sport',
  '技术等级': 'Technical Grade',
};
const f = (...specs) => specs.map((s) => {
  const [key, label, type] = s.split(':');
  return { key, label, label_en: LABEL_EN[label], type: type || T };
});
const ENT = ['holder:持证单位:text', 'uscc:统一社会信用代码:uscc', 'legal_rep:法定代表人（负责人）:text'];
const LTYPES = [
  // 市场监管 (9)
  ['营业执照', 'Business License', 'XH-SCJ', 'E', 0, f('name:名称', 'uscc:统一社会信用代码:uscc', 'legal_rep:法定代表人', 'type:类型', 'registered_capital:注册资本（万元）:number', 'address:住所:address', 'business_scope:经营范围', 'established:成立日期:date')],
  ['食品经营许可证', 'Food Business License', 'XH-SCJ', 'E', 5, f('operator:经营者名称', 'uscc:社会信用代码:uscc', 'legal_rep:法定代表人（负责人）', 'premises:经营场所:address', 'main_format:主体业态', 'business_items:经营项目', 'license_no:许可证编号', 'valid_until:有效期至:date')],
  ['食品生产许可证', 'Food Production License', 'XH-SCJ', 'E', 5, f('producer:生产者名称', 'uscc:社会信用代码:uscc', 'legal_rep:法定代表人（负责人）', 'production_address:生产地址:address', 'food_category:食品类别', 'license_no:许可证编号', 'valid_until:有效期至:date')],
  ['药品经营许可证', 'Drug Business License', 'XH-SCJ', 'E', 5, f('enterprise:企业名称', 'uscc:统一社会信用代码:uscc', 'legal_rep:法定代表人', 'quality_head:质量负责人', 'address:注册地址:address', 'scope:经营范围', 'license_no:许可证编号', 'valid_until:有效期至:date')],
  ['第三类医疗器械经营许可证', 'Class III Medical Device Business License', 'XH-SCJ', 'E', 5, f('enterprise:企业名称', 'uscc:统一社会信用代码:uscc', 'legal_rep:法定代表人', 'premises:经营场所:address', 'mode:经营方式', 'scope:经营范围', 'license_no:许可证编号', 'valid_until:有效期至:date')],
  ['第二类医疗器械经营备案凭证', 'Class II Medical Device Business Filing Certificate', 'XH-SCJ', 'E', 0, f('enterprise:企业名称', 'uscc:统一社会信用代码:uscc', 'legal_rep:法定代表人', 'premises:经营场所:address', 'scope:经营范围', 'filing_no:备案编号', 'filing_date:备案日期:date')],
  ['特种设备使用登记证', 'Special Equipment Use Registration Certificate', 'XH-SCJ', 'E', 0, f('user:使用单位', 'uscc:统一社会信用代码:uscc', 'equipment_type:设备种类', 'equipment_code:设备代码', 'use_location:设备使用地点:address', 'reg_no:登记证编号', 'issue_date:发证日期:date')],
  ['统一社会信用代码证书', 'Unified Social Credit Code Certificate', 'XH-SCJ', 'E', 0, f('name:机构名称', 'uscc:统一社会信用代码:uscc', 'org_type:机构类型', 'responsible:负责人', 'address:住所:address', 'issue_date:发证日期:date')],
  ['食品生产加工小作坊登记证', 'Small Food Workshop Registration Certificate', 'XH-SCJ', 'E', 3, f('workshop:小作坊名称', 'uscc:统一社会信用代码:uscc', 'operator:经营者', 'address:生产加工场所:address', 'food_category:食品种类', 'reg_no:登记证编号', 'valid_until:有效期至:date')],
  // 税务 (2)
  ['中华人民共和国税收完税证明', 'Tax Payment Certificate of the PRC', 'XH-SWJ', 'P', 0, f('taxpayer:纳税人名称', 'id_number:纳税人识别号:id_number', 'tax_type:税种', 'amount:实缴金额（元）:number', 'tax_period:税款所属时期', 'issue_date:填发日期:date', 'cert_no:证明编号')],
  ['税务登记证', 'Tax Registration Certificate', 'XH-SWJ', 'E', 0, f('taxpayer:纳税人名称', 'uscc:纳税人识别号:uscc', 'legal_rep:法定代表人（负责人）', 'address:地址:address', 'reg_type:登记注册类型', 'issue_date:发证日期:date')],
  // 人社 (6)
  ['人力资源服务许可证', 'Human Resources Service License', 'XH-RSJ', 'E', 0, f(...ENT, 'address:住所:address', 'service_scope:服务范围', 'license_no:许可证编号', 'issue_date:发证日期:date')],
  ['劳务派遣经营许可证', 'Labor Dispatch Business License', 'XH-RSJ', 'E', 3, f(...ENT, 'registered_capital:注册资本（万元）:number', 'address:住所:address', 'license_no:许可证编号', 'valid_until:有效期至:date')],
  ['社会保障卡', 'Social Security Card', 'XH-RSJ', 'P', 10, f('name:姓名', 'id_number:社会保障号码:id_number', 'card_no:卡号', 'bank:服务银行', 'issue_date:发卡日期:date')],
  ['就业创业证', 'Employment and Entrepreneurship Certificate', 'XH-RSJ', 'P', 0, f('name:姓名', 'id_number:公民身份号码:id_number', 'cert_no:证书编号', 'registry:户籍地', 'issue_date:发证日期:date')],
  ['职业技能等级证书', 'Vocational Skill Level Certificate', 'XH-RSJ', 'P', 0, f('name:姓名', 'id_number:公民身份号码:id_number', 'occupation:职业（工种）', 'level:等级', 'cert_no:证书编号', 'issue_date:发证日期:date', 'evaluator:评价机构')],
  ['民办职业培训学校办学许可证', 'Private Vocational Training School Operation License', 'XH-RSJ', 'E', 5, f('school:学校名称', 'uscc:统一社会信用代码:uscc', 'principal:校长', 'address:办学地址:address', 'programs:培训项目', 'license_no:许可证编号', 'valid_until:有效期至:date')],
  // 规划资源 (6)
  ['建设工程规划许可证', 'Construction Project Planning Permit', 'XH-GHZYJ', 'E', 0, f('developer:建设单位', 'uscc:统一社会信用代码:uscc', 'project:建设项目名称', 'location:建设位置:address', 'scale:建设规模（平方米）:number', 'permit_no:许可证编号', 'issue_date:发证日期:date')],
  ['建设用地规划许可证', 'Construction Land Use Planning Permit', 'XH-GHZYJ', 'E', 0, f('land_user:用地单位', 'uscc:统一社会信用代码:uscc', 'project:用地项目名称', 'location:用地位置:address', 'area:用地面积（平方米）:number', 'land_use:用地性质', 'permit_no:许可证编号', 'issue_date:发证日期:date')],
  ['建设项目用地预审与选址意见书', 'Land Pre-examination and Site Selection Opinion', 'XH-GHZYJ', 'E', 3, f('developer:建设单位', 'uscc:统一社会信用代码:uscc', 'project:项目名称', 'location:拟选位置:address', 'area:拟用地面积（平方米）:number', 'doc_no:文号', 'issue_date:核发日期:date')],
  ['不动产权证书', 'Real Estate Title Certificate', 'XH-GHZYJ', 'P', 0, f('owner:权利人', 'owner_id:证件号码:id_number', 'ownership:共有情况', 'location:坐落:address', 'unit_no:不动产单元号', 'area:面积（平方米）:number', 'use:用途', 'cert_no:证书号')],
  ['不动产登记证明', 'Real Estate Registration Certificate', 'XH-GHZYJ', 'E', 0, f('right_holder:权利人', 'uscc:统一社会信用代码:uscc', 'obligor:义务人', 'matter:证明权利或事项', 'location:坐落:address', 'cert_no:证明号', 'reg_date:登记日期:date')],
  ['建设工程规划资源验收合格证', 'Construction Project Planning and Resources Acceptance Certificate', 'XH-GHZYJ', 'E', 0, f('developer:建设单位', 'uscc:统一社会信用代码:uscc', 'project:建设项目名称', 'location:建设位置:address', 'area:验收建筑面积（平方米）:number', 'cert_no:合格证编号', 'issue_date:发证日期:date')],
  // 房管 (5)
  ['房地产开发企业资质证书', 'Real Estate Development Enterprise Qualification Certificate', 'XH-FGJ', 'E', 3, f(...ENT, 'grade:资质等级', 'cert_no:证书编号', 'issue_date:发证日期:date', 'valid_until:有效期至:date')],
  ['商品房预售许可证', 'Commodity Housing Pre-sale Permit', 'XH-FGJ', 'E', 0, f('developer:开发企业', 'uscc:统一社会信用代码:uscc', 'project:项目名称', 'location:房屋坐落:address', 'presale_area:预售面积（平方米）:number', 'permit_no:许可证编号', 'issue_date:发证日期:date')],
  ['房屋租赁合同登记备案证明', 'Housing Lease Contract Registration Certificate', 'XH-FGJ', 'P', 0, f('lessor:出租人', 'lessee:承租人', 'lessee_id:承租人证件号码:id_number', 'location:房屋坐落:address', 'term:租赁期限', 'cert_no:备案证明编号', 'reg_date:备案日期:date')],
  ['公有住房租赁凭证', 'Public Housing Tenancy Certificate', 'XH-FGJ', 'P', 0, f('tenant:承租人', 'tenant_id:证件号码:id_number', 'location:房屋坐落:address', 'area:居住面积（平方米）:number', 'cert_no:凭证编号', 'issue_date:发证日期:date')],
  ['共有产权保障住房准购证明', 'Shared-ownership Affordable Housing Purchase Eligibility Certificate', 'XH-FGJ', 'P', 0, f('applicant:申请人', 'id_number:证件号码:id_number', 'family_size:家庭人数:number', 'batch:申请批次', 'cert_no:证明编号', 'issue_date:出具日期:date')],
  // 公安 (6)
  ['居民身份证', 'Resident Identity Card', 'XH-GAFJ', 'P', 10, f('name:姓名', 'sex:性别', 'ethnicity:民族', 'birth_date:出生日期:date', 'address:住址:address', 'id_number:公民身份号码:id_number', 'issuing_authority:签发机关', 'valid_until:有效期限至:date')],
  ['居民户口簿', 'Household Register', 'XH-GAFJ', 'P', 0, f('householder:户主姓名', 'household_no:户号', 'household_type:户别', 'address:住址:address', 'name:姓名', 'id_number:公民身份号码:id_number', 'relation:与户主关系')],
  ['上海市居住证', 'Shanghai Residence Permit', 'XH-GAFJ', 'P', 3, f('name:姓名', 'id_number:公民身份号码:id_number', 'residence:居住地址:address', 'permit_no:证件号码', 'issue_date:签发日期:date', 'valid_until:有效期至:date')],
  ['无犯罪记录证明', 'Certificate of No Criminal Record', 'XH-GAFJ', 'P', 0, f('name:姓名', 'id_number:公民身份号码:id_number', 'purpose:用途', 'cert_no:证明编号', 'issue_date:出具日期:date')],
  ['旅馆业特种行业许可证', 'Special Trade License (Hotel Industry)', 'XH-GAFJ', 'E', 0, f(...ENT, 'premises:经营地址:address', 'rooms:客房数:number', 'license_no:许可证编号', 'issue_date:发证日期:date')],
  ['往来港澳通行证', 'Exit-Entry Permit for Travelling to and from Hong Kong and Macao', 'XH-GAFJ', 'P', 10, f('name:姓名', 'sex:性别', 'birth_date:出生日期:date', 'id_number:公民身份号码:id_number', 'permit_no:证件号码', 'valid_until:有效期至:date')],
  // 民政 (7)
  ['结婚证', 'Marriage Certificate', 'XH-MZJ', 'P', 0, f('holder_name:持证人', 'holder_id:持证人身份证件号:id_number', 'spouse_name:配偶姓名', 'spouse_id:配偶身份证件号:id_number', 'reg_date:登记日期:date', 'cert_no:结婚证字号', 'authority:登记机关')],
  ['离婚证', 'Divorce Certificate', 'XH-MZJ', 'P', 0, f('holder_name:持证人', 'holder_id:持证人身份证件号:id_number', 'ex_spouse_name:原配偶姓名', 'reg_date:登记日期:date', 'cert_no:离婚证字号', 'authority:登记机关')],
  ['婚姻登记记录证明', 'Marriage Registration Record Certificate', 'XH-MZJ', 'P', 0, f('name:姓名', 'id_number:身份证件号:id_number', 'records:婚姻登记记录', 'cert_no:证明编号', 'issue_date:出具日期:date')],
  ['社会团体法人登记证书', 'Social Organization Legal Person Registration Certificate', 'XH-MZJ', 'E', 5, f('name:名称', 'uscc:统一社会信用代码:uscc', 'legal_rep:法定代表人', 'address:住所:address', 'business_scope:业务范围', 'supervisor:业务主管单位', 'valid_until:有效期至:date')],
  ['民办非企业单位登记证书', 'Private Non-enterprise Unit Registration Certificate', 'XH-MZJ', 'E', 5, f('name:名称', 'uscc:统一社会信用代码:uscc', 'legal_rep:法定代表人', 'address:住所:address', 'business_scope:业务范围', 'funds:开办资金（万元）:number', 'valid_until:有效期至:date')],
  ['收养登记证', 'Adoption Registration Certificate', 'XH-MZJ', 'P', 0, f('adopter:收养人', 'adopter_id:收养人身份证件号:id_number', 'adoptee:被收养人', 'reg_date:登记日期:date', 'cert_no:收养登记证字号')],
  ['养老机构备案回执', 'Elderly Care Institution Filing Receipt', 'XH-MZJ', 'E', 0, f('institution:养老机构名称', 'uscc:统一社会信用代码:uscc', 'legal_rep:法定代表人', 'address:服务场所:address', 'beds:床位数:number', 'filing_no:备案编号', 'filing_date:备案日期:date')],
  // 卫健 (7)
  ['出生医学证明', 'Medical Certificate of Birth', 'XH-WJW', 'P', 0, f('newborn_name:新生儿姓名', 'sex:性别', 'birth_date:出生时间:date', 'birth_place:出生地点:address', 'mother_name:母亲姓名', 'mother_id:母亲有效身份证件号码:id_number', 'father_name:父亲姓名', 'cert_no:出生医学证明编号')],
  ['医疗机构执业许可证', 'Medical Institution Practicing License', 'XH-WJW', 'E', 5, f('institution:机构名称', 'uscc:统一社会信用代码:uscc', 'legal_rep:法定代表人', 'address:地址:address', 'category:类别', 'departments:诊疗科目', 'license_no:登记号', 'valid_until:有效期至:date')],
  ['公共场所卫生许可证', 'Public Place Hygiene License', 'XH-WJW', 'E', 4, f('unit:单位名称', 'uscc:统一社会信用代码:uscc', 'legal_rep:法定代表人（负责人）', 'premises:经营地址:address', 'items:许可项目', 'license_no:许可证编号', 'valid_until:有效期至:date')],
  ['医师执业证书', 'Physician Practicing Certificate', 'XH-WJW', 'P', 0, f('name:姓名', 'id_number:身份证件号:id_number', 'category:执业类别', 'scope:执业范围', 'workplace:主要执业机构', 'cert_no:证书编码', 'issue_date:发证日期:date')],
  ['护士执业证书', 'Nurse Practicing Certificate', 'XH-WJW', 'P', 5, f('name:姓名', 'id_number:身份证件号:id_number', 'workplace:执业地点', 'cert_no:证书编号', 'issue_date:注册日期:date', 'valid_until:注册有效期至:date')],
  ['放射诊疗许可证', 'Radiological Diagnosis and Treatment License', 'XH-WJW', 'E', 0, f('institution:医疗机构名称', 'uscc:统一社会信用代码:uscc', 'legal_rep:法定代表人', 'address:地址:address', 'items:许可项目', 'license_no:许可证编号', 'issue_date:发证日期:date')],
  ['独生子女父母光荣证', 'Honor Certificate for Parents of an Only Child', 'XH-WJW', 'P', 0, f('father_name:父亲姓名', 'mother_name:母亲姓名', 'holder_id:持证人身份证件号:id_number', 'child_name:子女姓名', 'child_birth:子女出生日期:date', 'cert_no:证书编号')],
  // 生态环境 (2)
  ['排污许可证', 'Pollutant Discharge Permit', 'XH-STHJJ', 'E', 5, f('unit:单位名称', 'uscc:统一社会信用代码:uscc', 'legal_rep:法定代表人', 'premises:生产经营场所地址:address', 'industry:行业类别', 'permit_no:证书编号', 'valid_until:有效期至:date')],
  ['辐射安全许可证', 'Radiation Safety License', 'XH-STHJJ', 'E', 5, f('unit:单位名称', 'uscc:统一社会信用代码:uscc', 'legal_rep:法定代表人', 'address:地址:address', 'activity:种类和范围', 'license_no:证书编号', 'valid_until:有效期至:date')],
  // 教育 (3)
  ['教师资格证书', 'Teacher Qualification Certificate', 'XH-JYJ', 'P', 0, f('name:姓名', 'id_number:身份证件号码:id_number', 'qualification:资格种类', 'subject:任教学科', 'cert_no:证书号码', 'issue_date:发证日期:date')],
  ['民办学校办学许可证', 'Private School Operation License', 'XH-JYJ', 'E', 5, f('school:学校名称', 'uscc:统一社会信用代码:uscc', 'principal:校长', 'address:办学地址:address', 'school_type:学校类型', 'license_no:许可证编号', 'valid_until:有效期至:date')],
  ['普通话水平测试等级证书', 'Putonghua Proficiency Test Certificate', 'XH-JYJ', 'P', 0, f('name:姓名', 'id_number:身份证件号码:id_number', 'grade:等级', 'score:成绩:number', 'cert_no:证书编号', 'issue_date:发证日期:date')],
  // 文旅 (6)
  ['网络文化经营许可证', 'Internet Culture Business License', 'XH-WHLYJ', 'E', 3, f(...ENT, 'address:住所:address', 'scope:经营范围', 'license_no:许可证编号', 'valid_until:有效期至:date')],
  ['娱乐经营许可证', 'Entertainment Business License', 'XH-WHLYJ', 'E', 2, f(...ENT, 'premises:经营场所:address', 'category:经营类别', 'license_no:许可证编号', 'valid_until:有效期至:date')],
  ['营业性演出许可证', 'Commercial Performance License', 'XH-WHLYJ', 'E', 2, f(...ENT, 'address:住所:address', 'category:经营类别', 'license_no:许可证编号', 'valid_until:有效期至:date')],
  ['出版物经营许可证', 'Publication Business License', 'XH-WHLYJ', 'E', 0, f(...ENT, 'premises:经营场所:address', 'scope:经营范围', 'license_no:许可证编号', 'issue_date:发证日期:date')],
  ['印刷经营许可证', 'Printing Business License', 'XH-WHLYJ', 'E', 0, f(...ENT, 'premises:经营场所:address', 'scope:经营范围', 'license_no:许可证编号', 'issue_date:发证日期:date')],
  ['艺术品经营单位备案证明', 'Art Dealer Filing Certificate', 'XH-WHLYJ', 'E', 0, f(...ENT, 'premises:经营场所:address', 'filing_no:备案编号', 'filing_date:备案日期:date')],
  // 应急管理 (3)
  ['危险化学品经营许可证', 'Hazardous Chemicals Business License', 'XH-YJGLJ', 'E', 3, f(...ENT, 'address:注册地址:address', 'mode:经营方式', 'scope:许可范围', 'license_no:许可证编号', 'valid_until:有效期至:date')],
  ['非药品类易制毒化学品经营备案证明', 'Non-pharmaceutical Precursor Chemicals Business Filing Certificate', 'XH-YJGLJ', 'E', 3, f(...ENT, 'address:经营地址:address', 'chemicals:品种', 'filing_no:备案编号', 'valid_until:有效期至:date')],
  ['生产安全事故应急预案备案登记表', 'Work Safety Emergency Plan Filing Form', 'XH-YJGLJ', 'E', 0, f(...ENT, 'plan_name:预案名称', 'filing_no:备案编号', 'filing_date:备案日期:date')],
  // 建管委 (6)
  ['建筑业企业资质证书', 'Construction Enterprise Qualification Certificate', 'XH-JSGLW', 'E', 5, f(...ENT, 'address:详细地址:address', 'qualification:资质类别及等级', 'cert_no:证书编号', 'valid_until:有效期至:date')],
  ['建筑工程施工许可证', 'Construction Work Permit', 'XH-JSGLW', 'E', 0, f('developer:建设单位', 'uscc:统一社会信用代码:uscc', 'project:工程名称', 'location:建设地址:address', 'contract_price:合同价格（万元）:number', 'contractor:施工单位', 'permit_no:编号', 'issue_date:发证日期:date')],
  ['建设工程竣工验收备案证书', 'Construction Project Completion Acceptance Filing Certificate', 'XH-JSGLW', 'E', 0, f('developer:建设单位', 'uscc:统一社会信用代码:uscc', 'project:工程名称', 'location:工程地址:address', 'area:建筑面积（平方米）:number', 'filing_no:备案编号', 'filing_date:备案日期:date')],
  ['城镇污水排入排水管网许可证', 'Urban Sewage Discharge into Drainage Network Permit', 'XH-JSGLW', 'E', 5, f('discharger:排水户名称', 'uscc:统一社会信用代码:uscc', 'address:排水户地址:address', 'category:排水类别', 'volume:许可排水量（立方米/日）:number', 'permit_no:许可证编号', 'valid_until:有效期至:date')],
  ['道路运输经营许可证', 'Road Transport Business License', 'XH-JSGLW', 'E', 4, f(...ENT, 'address:地址:address', 'scope:经营范围', 'license_no:许可证编号', 'valid_until:有效期至:date')],
  ['建筑起重机械使用登记证明', 'Construction Hoisting Machinery Use Registration Certificate', 'XH-JSGLW', 'E', 0, f('user:使用单位', 'uscc:统一社会信用代码:uscc', 'project:工程名称', 'machine_type:设备类型', 'record_no:备案编号', 'reg_no:使用登记编号', 'issue_date:登记日期:date')],
  // 消防 (1)
  ['公众聚集场所投入使用、营业前消防安全检查合格证', 'Fire Safety Inspection Certificate for Public Gathering Places', 'XH-XFJ', 'E', 0, f('unit:单位名称', 'uscc:统一社会信用代码:uscc', 'legal_rep:法定代表人（主要负责人）', 'premises:场所地址:address', 'area:使用面积（平方米）:number', 'doc_no:文号', 'issue_date:发证日期:date')],
  // 残联 (1)
  ['中华人民共和国残疾人证', 'Disability Certificate of the PRC', 'XH-CL', 'P', 10, f('name:姓名', 'sex:性别', 'id_number:公民身份号码:id_number', 'category:残疾类别', 'level:残疾等级', 'address:住址:address', 'cert_no:残疾人证号', 'valid_until:有效期至:date')],
  // 科委 (3)
  ['外国人工作许可证', 'Foreigner\'s Work Permit', 'XH-KWW', 'P', 5, f('name:姓名', 'nationality:国籍', 'passport_no:护照号码', 'employer:工作单位', 'category:人员类别', 'permit_no:证件号码', 'valid_until:有效期至:date')],
  ['技术合同登记证明', 'Technology Contract Registration Certificate', 'XH-KWW', 'E', 0, f('seller:卖方（受托方）', 'uscc:统一社会信用代码:uscc', 'contract_name:合同名称', 'contract_type:合同类型', 'amount:成交金额（万元）:number', 'reg_no:登记编号', 'reg_date:登记日期:date')],
  ['高新技术企业证书', 'High-tech Enterprise Certificate', 'XH-KWW', 'E', 3, f('enterprise:企业名称', 'uscc:统一社会信用代码:uscc', 'cert_no:证书编号', 'issue_date:发证日期:date', 'valid_until:有效期至:date')],
  // 商务委 (3)
  ['酒类商品零售许可证', 'Liquor Retail License', 'XH-SWW', 'E', 3, f(...ENT, 'premises:经营场所:address', 'license_no:许可证编号', 'valid_until:有效期至:date')],
  ['酒类商品批发许可证', 'Liquor Wholesale License', 'XH-SWW', 'E', 3, f(...ENT, 'premises:经营场所:address', 'warehouse:仓储地址:address', 'license_no:许可证编号', 'valid_until:有效期至:date')],
  ['再生资源回收经营者备案回执', 'Renewable Resources Recycling Operator Filing Receipt', 'XH-SWW', 'E', 0, f(...ENT, 'premises:经营场所:address', 'categories:回收品种', 'filing_no:备案编号')],
  // 体育 (2)
  ['高危险性体育项目经营许可证', 'High-risk Sports Business License', 'XH-TYJ', 'E', 5, f(...ENT, 'venue:经营场所:address', 'items:经营项目', 'license_no:许可证编号', 'valid_until:有效期至:date')],
  ['社会体育指导员证书', 'Social Sports Instructor Certificate', 'XH-TYJ', 'P', 0, f('name:姓名', 'id_number:身份证件号码:id_number', 'sport:项目', 'grade:技术等级', 'cert_no:证书编号', 'issue_date:发证日期:date')],
];

// ---------------------------------------------------------------------------
// 3. service items
//
// Items are declared as families: add() declares one item, vary() declares a
// base name with suffixes such as （新办）（变更）（延续）（注销）.  The "kind" of
// each item drives the defaults: what it produces, which extra materials it
// needs (the original certificate for 变更/延续/注销), time limits and
// popularity.
const TYPE_NAMES = {
  '01': '行政许可', '04': '行政征收', '05': '行政给付', '07': '行政确认',
  '08': '行政奖励', '09': '行政裁决', '10': '其他行政权力', '20': '公共服务',
};
const KIND = {
  新办: 'new', 设立: 'new', 首次: 'new', 成立: 'new',
  变更: 'chg', 迁移: 'chg',
  延续: 'renew', 延期: 'renew', 换证: 'renew', 校验: 'renew', 换领: 'renew',
  注销: 'end', 终止: 'end',
  补证: 'reissue', 补办: 'reissue', 补领: 'reissue',
};
const KIND_POP = { new: 1, chg: 0.45, renew: 0.3, end: 0.2, reissue: 0.12 };

// Materials that are certificates the government itself issues carry the
// e-license type (by name; resolved to LT-nnn below).
const MAT = {
  yyzz: { n: '营业执照', lt: '营业执照', f: 'copy' },
  sfz: { n: '申请人居民身份证', lt: '居民身份证' },
  frsfz: { n: '法定代表人（负责人）居民身份证', lt: '居民身份证', f: 'copy' },
  hkb: { n: '居民户口簿', lt: '居民户口簿' },
  jzz: { n: '上海市居住证', lt: '上海市居住证' },
  bdc: { n: '不动产权证书', lt: '不动产权证书' },
  cszm: { n: '经营场所不动产权证书', lt: '不动产权证书', f: 'copy' },
  zlba: { n: '房屋租赁合同登记备案证明', lt: '房屋租赁合同登记备案证明' },
  bdczm: { n: '不动产登记证明', lt: '不动产登记证明' },
  jhz: { n: '结婚证', lt: '结婚证' },
  lhz: { n: '离婚证', lt: '离婚证' },
  sbk: { n: '社会保障卡', lt: '社会保障卡' },
  csyx: { n: '出生医学证明', lt: '出生医学证明' },
  cjrz: { n: '中华人民共和国残疾人证', lt: '中华人民共和国残疾人证' },
  wfz: { n: '无犯罪记录证明', lt: '无犯罪记录证明' },
  xfhg: { n: '公众聚集场所投入使用、营业前消防安全检查合格证', lt: '公众聚集场所投入使用、营业前消防安全检查合格证', f: 'copy' },
  ggws: { n: '公共场所卫生许可证', lt: '公共场所卫生许可证', f: 'copy' },
  spjy: { n: '食品经营许可证', lt: '食品经营许可证', f: 'copy' },
  ypjy: { n: '药品经营许可证', lt: '药品经营许可证', f: 'copy' },
  yljg: { n: '医疗机构执业许可证', lt: '医疗机构执业许可证', f: 'copy' },
  ysz: { n: '医师执业证书', lt: '医师执业证书', f: 'copy' },
  hsz: { n: '护士执业证书', lt: '护士执业证书', f: 'copy' },
  fszl: { n: '放射诊疗许可证', lt: '放射诊疗许可证', f: 'copy' },
  jsgh: { n: '建设工程规划许可证', lt: '建设工程规划许可证', f: 'copy' },
  jsyd: { n: '建设用地规划许可证', lt: '建设用地规划许可证', f: 'copy' },
  xzyj: { n: '建设项目用地预审与选址意见书', lt: '建设项目用地预审与选址意见书', f: 'copy' },
  ghys: { n: '建设工程规划资源验收合格证', lt: '建设工程规划资源验收合格证', f: 'copy' },
  sgxk: { n: '建筑工程施工许可证', lt: '建筑工程施工许可证', f: 'copy' },
  jzzz: { n: '施工单位建筑业企业资质证书', lt: '建筑业企业资质证书', f: 'copy' },
  jgba: { n: '建设工程竣工验收备案证书', lt: '建设工程竣工验收备案证书', f: 'copy' },
  fkzz: { n: '房地产开发企业资质证书', lt: '房地产开发企业资质证书', f: 'copy' },
  ysxk: { n: '商品房预售许可证', lt: '商品房预售许可证', f: 'copy' },
  wszm: { n: '税收完税证明', lt: '中华人民共和国税收完税证明' },
  swdj: { n: '税务登记证', lt: '税务登记证', f: 'copy' },
  jszg: { n: '教师资格证书', lt: '教师资格证书', f: 'copy' },
  pth: { n: '普通话水平测试等级证书', lt: '普通话水平测试等级证书', f: 'copy' },
  zyjn: { n: '职业技能等级证书', lt: '职业技能等级证书', f: 'copy' },
  gfpz: { n: '公有住房租赁凭证', lt: '公有住房租赁凭证' },
  sttt: { n: '社会团体法人登记证书', lt: '社会团体法人登记证书', f: 'copy' },
  mfq: { n: '民办非企业单位登记证书', lt: '民办非企业单位登记证书', f: 'copy' },
  pwxk: { n: '排污许可证', lt: '排污许可证', f: 'copy' },
  xyzs: { n: '统一社会信用代码证书', lt: '统一社会信用代码证书', f: 'copy' },
  wgrgz: { n: '外国人工作许可证', lt: '外国人工作许可证' },
  gxqy: { n: '高新技术企业证书', lt: '高新技术企业证书', f: 'copy' },
  yjya: { n: '生产安全事故应急预案备案登记表', lt: '生产安全事故应急预案备案登记表', f: 'copy' },
  tzsb: { n: '特种设备使用登记证', lt: '特种设备使用登记证', f: 'copy' },
};

const FAMS = [];
function add(dept, target, tc, name, o = {}) {
  FAMS.push({ dept, target, tc, name, o });
}
function vary(dept, target, tc, base, suffixes, o = {}) {
  for (const s of suffixes) add(dept, target, tc, `${base}（${s}）`, { ...o, kind: KIND[s] || 'new', base, varied: true, suffix: s });
}

const W = {
  E: `${CENTRE}法人事项综合受理大厅 综合窗口`,
  P: `${CENTRE}个人事务综合受理大厅 综合窗口`,
  tax: `${CENTRE}法人事项综合受理大厅 税务综合窗口`,
  taxP: `${CENTRE}个人事务综合受理大厅 税务窗口`,
  bdc: `${CENTRE}不动产交易登记“三位一体”综合受理窗口（交易、税务、登记）`,
  build: `${CENTRE}法人事项综合受理大厅 建设项目审批综合窗口`,
  kb: `${CENTRE}法人事项综合受理大厅 企业开办专区`,
  hj: '户籍所在地派出所户籍窗口（徐汇公安分局辖区各派出所）',
  jzz: `${CENTRE}个人事务综合受理大厅 居住证窗口，或居住地街道（镇）社区事务受理服务中心`,
  crj: '徐汇公安分局出入境管理办公室接待大厅',
  sq: '户籍（居住）地所在街道（镇）社区事务受理服务中心',
  hy: '徐汇区婚姻登记处',
  gjj: '公积金徐汇区管理部业务受理窗口，或“一网通办”公积金网上服务',
  jdzx: '新生儿出生的助产机构，或徐汇区妇幼保健所',
  online: '“一网通办”总门户（随申办）全程网办，线下可至' + CENTRE + '综合窗口',
};
const H = {
  hy: '周一至周五 9:00-11:30，13:30-16:30（法定节假日除外）',
  hotline: '7×24小时',
};
// what the property bundle (不动产交易登记) needs to know: the same keys in its three
// items, so its one form asks each once (issue 15)
const BDC_DEAL = [['property_address', '房屋坐落', 'address', 1], ['price', '成交价格（万元）', 'number', 1],
  ['party_name', '交易对方姓名', 'text', 1], ['party_id', '交易对方身份证号码', 'id_number', 1]];
const FEE_BDC = ['不动产登记费：住宅每件80元，非住宅每件550元；每增加一本证书加收工本费10元', '《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）'];
const FEE_SFZ = '《国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知》（发改价格〔2003〕2322号）';

// 区市场监督管理局 XH-SCJ ----------------------------------------------------
const REG = '《中华人民共和国市场主体登记管理条例》';
const foundMats = ['自然人股东、投资人居民身份证?投资人为自然人的', '法人股东营业执照?投资人为企业法人的', '住所不动产权证书?住所为自有房屋的', '住所租赁合同复印件?住所为租赁房屋的'];
const foundForm = [['company_type', '企业类型', 'choice', 1, ['有限责任公司', '股份有限公司', '个人独资企业', '合伙企业']], ['registered_capital', '注册资本（万元）', 'number', 1], ['address', '住所', 'address', 1], ['business_scope', '经营范围', 'text', 1], ['legal_rep_name', '法定代表人姓名', 'text', 1], ['legal_rep_id', '法定代表人身份证件号码', 'id_number', 1]];
add('XH-SCJ', 'E', '01', '企业设立登记', {
  kind: 'new', founding: true, basis: '《中华人民共和国公司法》第二十九条；' + REG + '第三条', days: [15, 1], produces: '营业执照', pop: 9800, online: 4, where: W.kb,
  app: '企业登记（备案）申请书', mats: ['公司章程', '法定代表人、董事、监事和经理的任职文件', ...foundMats], form: foundForm,
  cond: '已通过企业名称自主申报取得拟用名称，住所位于徐汇区，股东、法定代表人等符合《中华人民共和国公司法》和《中华人民共和国市场主体登记管理条例》规定的条件，申请材料齐全、符合法定形式。',
  faq: [['企业开办能一次办完吗？', '可以。通过上海“一网通办”企业开办“一窗通”一次填报，营业执照、印章刻制、涉税事项、社保和公积金单位登记、银行开户信息告知同步办理，全流程3个工作日内办结。'], ['可以领取电子营业执照吗？', '可以。核准后自动生成电子营业执照并归集至徐汇区电子证照库，与纸质营业执照具有同等法律效力。']],
});
add('XH-SCJ', 'E', '01', '企业变更登记', { kind: 'chg', basis: REG + '第二十四条', days: [15, 1], produces: '营业执照', pop: 7200, online: 4, app: '企业登记（备案）申请书', mats: ['股东会决议或股东决定', '修改后的公司章程或章程修正案?涉及章程修改的', '新任法定代表人居民身份证?变更法定代表人的', '新住所使用证明?变更住所的'], form: [['change_items', '变更事项', 'choice', 1, ['名称', '住所', '法定代表人', '注册资本', '经营范围', '股东（投资人）', '企业类型']], ['change_detail', '变更内容', 'text', 1]] });
add('XH-SCJ', 'E', '01', '企业注销登记', { kind: 'end', basis: REG + '第三十一条', days: [15, 3], pop: 2600, online: 4, app: '企业注销登记申请书', mats: ['股东会决议或股东决定', '经确认的清算报告', '清税证明'], produces: null, orig: false });
add('XH-SCJ', 'E', '01', '企业简易注销登记', { kind: 'end', basis: REG + '第三十三条', days: [15, 1], pop: 3100, online: 4, app: '简易注销登记申请书', mats: ['全体投资人承诺书'], orig: false, cond: '企业未发生债权债务或已将债权债务清偿完结，未发生或已结清清偿费用、职工工资、社会保险费用、法定补偿金、应缴纳税款（滞纳金、罚款），并经20日简易注销公示无异议。' });
add('XH-SCJ', 'E', '10', '企业备案（章程、董事、监事、经理）', { basis: REG + '第二十九条', days: [15, 1], pop: 1800, online: 4, app: '企业登记（备案）申请书', mats: ['备案事项相关决议、决定', '董事、监事、经理任职文件?备案董事、监事、经理的'] });
add('XH-SCJ', 'E', '01', '分公司设立登记', { kind: 'new', basis: '《中华人民共和国公司法》第十三条', days: [15, 1], produces: '营业执照', pop: 1900, online: 4, mats: ['分公司负责人任职文件', '分公司负责人居民身份证', '分公司营业场所使用证明'], form: [['branch_name', '分公司名称', 'text', 1], ['branch_address', '营业场所', 'address', 1], ['branch_head', '负责人', 'text', 1]] });
add('XH-SCJ', 'E', '01', '分公司变更登记', { kind: 'chg', basis: '《中华人民共和国公司法》第十三条', days: [15, 1], produces: '营业执照', pop: 900, online: 4, mats: ['变更事项相关文件'] });
add('XH-SCJ', 'E', '01', '分公司注销登记', { kind: 'end', basis: '《中华人民共和国公司法》第十三条', days: [15, 1], pop: 500, online: 4, mats: ['公司作出的注销分公司决定'], orig: false });
for (const [kind, name, pop] of [['new', '个人独资企业设立登记', 900], ['chg', '个人独资企业变更登记', 350], ['end', '个人独资企业注销登记', 260]])
  add('XH-SCJ', 'E', '01', name, { kind, founding: kind === 'new', basis: '《中华人民共和国个人独资企业法》第九条', days: [15, 1], produces: kind === 'end' ? null : '营业执照', pop, online: 4, orig: false, mats: kind === 'new' ? ['投资人居民身份证', '企业住所使用证明'] : kind === 'chg' ? ['变更事项相关文件'] : ['投资人决定', '清税证明'] });
for (const [kind, name, pop] of [['new', '合伙企业设立登记', 1100], ['chg', '合伙企业变更登记', 600], ['end', '合伙企业注销登记', 240]])
  add('XH-SCJ', 'E', '01', name, { kind, founding: kind === 'new', basis: '《中华人民共和国合伙企业法》第九条', days: [15, 1], produces: kind === 'end' ? null : '营业执照', pop, online: 4, orig: false, mats: kind === 'new' ? ['全体合伙人签署的合伙协议', '全体合伙人的主体资格证明', '执行事务合伙人委托书', '主要经营场所使用证明'] : kind === 'chg' ? ['全体合伙人签署的变更决定书'] : ['清算报告', '清税证明'] });
for (const [kind, name, pop] of [['new', '外商投资企业设立登记', 1300], ['chg', '外商投资企业变更登记', 900], ['end', '外商投资企业注销登记', 200]])
  add('XH-SCJ', 'E', '01', name, { kind, founding: kind === 'new', basis: '《中华人民共和国外商投资法》第三十一条', days: [15, 3], produces: kind === 'end' ? null : '营业执照', pop, online: 3, orig: false, mats: kind === 'new' ? ['公司章程', '外国投资者主体资格证明（经公证认证）', '法定代表人、董事、监事和经理的任职文件', '住所使用证明'] : kind === 'chg' ? ['董事会（股东会）决议', '章程修正案?涉及章程修改的'] : ['清算报告', '清税证明'] });
for (const [kind, name, pop] of [['new', '个体工商户设立登记', 2400], ['chg', '个体工商户变更登记', 900], ['end', '个体工商户注销登记', 700]])
  add('XH-SCJ', 'E', '01', name, { kind, founding: kind === 'new', basis: REG + '第二条', days: [15, 1], produces: kind === 'end' ? null : '营业执照', pop, online: 4, orig: false, mats: kind === 'new' ? ['经营者居民身份证', '经营场所使用证明'] : kind === 'chg' ? ['变更事项相关文件'] : ['清税证明?已办理税务登记的'] });
add('XH-SCJ', 'E', '01', '营业执照遗失补领、换发', { kind: 'reissue', basis: REG + '第二十二条', days: [15, 1], produces: '营业执照', pop: 1100, online: 4, orig: false, mats: ['营业执照遗失声明或损毁的营业执照原件'] });
add('XH-SCJ', 'E', '20', '企业名称自主申报', { founding: true, basis: '《企业名称登记管理规定》第十七条', days: [1, 0], pop: 9300, online: 4, noApp: true, mats: ['投资人居民身份证', '拟用企业名称及备选名称'], form: [['proposed_name', '拟用企业名称', 'text', 1], ['industry', '行业表述', 'text', 1], ['org_form', '组织形式', 'choice', 1, ['有限公司', '股份有限公司', '合伙企业', '个人独资企业']]] });
add('XH-SCJ', 'E', '01', '企业迁移登记（跨区迁入）', { kind: 'chg', basis: REG + '第二十七条', days: [15, 3], produces: '营业执照', pop: 800, online: 3, mats: ['迁入地住所使用证明', '股东会决议或股东决定'] });
add('XH-SCJ', 'E', '01', '企业迁移登记（跨区迁出）', { kind: 'chg', basis: REG + '第二十七条', days: [15, 3], pop: 500, online: 3, mats: ['股东会决议或股东决定', '迁入地登记机关同意迁入的文件'] });
vary('XH-SCJ', 'E', '10', '股权出质登记', ['设立', '变更', '注销'], { basis: '《股权出质登记办法》第三条', days: [5, 1], pop: 700, online: 4, mats: ['质押合同', '出质人和质权人的主体资格证明'] });
add('XH-SCJ', 'E', '20', '企业年度报告公示', { basis: '《企业信息公示暂行条例》第八条', days: [1, 0], pop: 8200, online: 4, noApp: true, mats: ['企业年度报告（网上填报）'] });
add('XH-SCJ', 'E', '20', '个体工商户年度报告', { basis: '《企业信息公示暂行条例》第八条', days: [1, 0], pop: 3800, online: 4, noApp: true, mats: ['个体工商户年度报告（网上填报）'] });
add('XH-SCJ', 'E', '10', '经营异常名录移出', { basis: '《企业经营异常名录管理暂行办法》第十一条', days: [5, 3], pop: 900, online: 4, mats: ['移出经营异常名录申请书', '补报的年度报告或已履行义务的证明'] });
add('XH-SCJ', 'E', '10', '严重违法失信名单移出', { basis: '《市场监督管理严重违法失信名单管理办法》第十六条', days: [15, 10], pop: 200, online: 3, mats: ['信用修复申请书', '已履行行政处罚决定的证明材料'] });
add('XH-SCJ', 'E', '10', '行政处罚信息信用修复', { basis: '《市场监督管理信用修复管理办法》第六条', days: [15, 5], pop: 600, online: 4, mats: ['信用修复申请书', '守信承诺书', '履行行政处罚决定的材料'] });
add('XH-SCJ', 'E', '10', '市场主体歇业备案', { basis: REG + '第三十条', days: [5, 1], pop: 400, online: 4, mats: ['歇业备案承诺书', '歇业期间法律文书送达地址'] });
add('XH-SCJ', 'E', '10', '撤销冒用他人身份信息取得的企业登记', { basis: REG + '第四十条', days: [20, 15], pop: 150, online: 2, mats: ['被冒用人居民身份证', '撤销登记申请书', '公安机关或司法鉴定机构出具的相关证明'] });
add('XH-SCJ', 'E', '20', '电子营业执照申领', { basis: REG + '第二十二条', days: [1, 0], pop: 4200, online: 4, noApp: true, mats: ['法定代表人实名认证信息'] });
add('XH-SCJ', 'E', '20', '企业登记档案查询', { basis: '《企业登记档案资料查询办法》第三条', days: [3, 0], pop: 1600, online: 3, mats: ['查询申请表', '经办人身份证件'] });
const FOOD = '《中华人民共和国食品安全法》第三十五条';
const foodForm = [['premises', '经营场所', 'address', 1], ['area', '经营场所面积（平方米）', 'number', 1], ['main_format', '主体业态', 'choice', 1, ['食品销售经营者', '餐饮服务经营者', '单位食堂']], ['business_items', '经营项目', 'text', 1]];
vary('XH-SCJ', 'E', '01', '食品经营许可', ['新办', '变更', '延续', '注销', '补证'], {
  basis: FOOD, days: [20, 5], produces: '食品经营许可证', pop: 6800, online: 3, form: foodForm,
  mats: ['与食品经营相适应的主要设备设施布局、操作流程等文件', '食品安全自查、从业人员健康管理、进货查验记录等食品安全管理制度', '经营场所平面图', 'cszm?经营场所为自有房屋的', '经营场所租赁合同复印件?经营场所为租赁房屋的'],
  cond: '已取得营业执照等合法主体资格，具有与经营的食品品种、数量相适应的经营场所和设备设施，有专职或兼职的食品安全管理人员和保证食品安全的规章制度。',
  faq: [['仅销售预包装食品需要办理食品经营许可证吗？', '不需要，办理“仅销售预包装食品备案”即可。']],
});
vary('XH-SCJ', 'E', '01', '食品生产许可', ['新办', '变更', '延续', '注销'], { basis: FOOD, days: [20, 10], produces: '食品生产许可证', pop: 600, online: 3, site: true, mats: ['食品生产主要设备、设施清单', '工艺设备布局图和食品生产工艺流程图', '食品安全专业技术人员、食品安全管理人员信息和食品安全管理制度'], form: [['production_address', '生产地址', 'address', 1], ['food_category', '食品类别', 'text', 1]] });
vary('XH-SCJ', 'E', '01', '食品生产加工小作坊登记', ['新办', '变更', '注销'], { basis: '《上海市食品安全条例》第三十一条', days: [15, 10], produces: '食品生产加工小作坊登记证', pop: 120, online: 3, site: true, mats: ['生产加工场所平面图', '生产加工的食品品种清单', '从业人员健康证明'] });
add('XH-SCJ', 'E', '10', '仅销售预包装食品备案', { basis: FOOD, days: [1, 0], pop: 3300, online: 4, mats: ['仅销售预包装食品备案信息采集表'] });
add('XH-SCJ', 'E', '10', '网络餐饮服务第三方平台分支机构备案', { basis: '《网络餐饮服务食品安全监督管理办法》第五条', days: [5, 1], pop: 60, online: 4, mats: ['分支机构食品安全管理人员信息', '食品安全管理制度'] });
vary('XH-SCJ', 'E', '01', '药品零售许可', ['新办', '变更', '延续', '注销'], { basis: '《中华人民共和国药品管理法》第五十一条', days: [30, 15], produces: '药品经营许可证', pop: 700, online: 3, site: true, mats: ['执业药师注册证', '企业负责人、质量负责人学历及职称证明', '药品质量管理制度文件', '经营场所、仓库平面布置图及房屋产权或使用权证明'], form: [['premises', '经营场所', 'address', 1], ['area', '营业面积（平方米）', 'number', 1], ['scope', '经营范围', 'text', 1]] });
vary('XH-SCJ', 'E', '01', '第三类医疗器械经营许可', ['新办', '变更', '延续', '注销'], { basis: '《医疗器械监督管理条例》第四十二条', days: [20, 10], produces: '第三类医疗器械经营许可证', pop: 500, online: 3, site: true, mats: ['法定代表人、企业负责人、质量负责人的身份证明、学历或职称证明', '经营场所和库房的地理位置图、平面图、房屋产权证明或租赁协议', '经营质量管理制度、工作程序等文件目录'] });
add('XH-SCJ', 'E', '10', '第二类医疗器械经营备案', { kind: 'new', basis: '《医疗器械监督管理条例》第四十一条', days: [5, 0], produces: '第二类医疗器械经营备案凭证', pop: 900, online: 4, mats: ['经营场所和库房平面图及使用证明', '经营质量管理制度、工作程序等文件目录'] });
add('XH-SCJ', 'E', '10', '第二类医疗器械经营备案（变更）', { kind: 'chg', base: '第二类医疗器械经营备案', basis: '《医疗器械监督管理条例》第四十一条', days: [5, 0], produces: '第二类医疗器械经营备案凭证', pop: 400, online: 4, mats: ['变更事项相关证明材料'] });
add('XH-SCJ', 'E', '10', '医疗器械网络销售备案', { basis: '《医疗器械网络销售监督管理办法》第八条', days: [5, 0], pop: 300, online: 4, mats: ['医疗器械网络销售备案表', '网站或网络客户端应用程序相关信息'] });
vary('XH-SCJ', 'E', '01', '特种设备使用登记', ['新办', '变更', '注销'], { basis: '《中华人民共和国特种设备安全法》第三十三条', days: [15, 5], produces: '特种设备使用登记证', pop: 1300, online: 3, mats: ['特种设备使用登记表', '产品合格证', '监督检验证明或定期检验报告', '特种设备安全管理人员资格证明'], form: [['equipment_type', '设备种类', 'choice', 1, ['电梯', '锅炉', '压力容器', '起重机械', '场（厂）内专用机动车辆']], ['equipment_code', '设备代码', 'text', 1], ['use_location', '设备使用地点', 'address', 1]] });
add('XH-SCJ', 'E', '10', '特种设备安装改造修理告知', { basis: '《中华人民共和国特种设备安全法》第二十三条', days: [1, 0], pop: 1100, online: 4, mats: ['特种设备安装改造修理告知单', '施工单位资质证书'] });
add('XH-SCJ', 'E', '10', '强制检定计量器具登记备案', { basis: '《中华人民共和国计量法》第九条', days: [5, 0], pop: 700, online: 4, mats: ['强制检定计量器具登记表'] });
add('XH-SCJ', 'E', '07', '其他组织统一社会信用代码赋码', { kind: 'new', founding: true, basis: '《国务院关于批转发展改革委等部门法人和其他组织统一社会信用代码制度建设总体方案的通知》（国发〔2015〕33号）', days: [5, 1], produces: '统一社会信用代码证书', pop: 150, online: 3, mats: ['机构设立批准文件', '负责人居民身份证', '住所使用证明'] });
add('XH-SCJ', 'E', '01', '广告发布登记', { kind: 'new', basis: '《中华人民共和国广告法》第二十九条', days: [20, 5], pop: 80, online: 4, mats: ['广告业务机构和广告审查人员证明文件', '广告发布场所使用证明'] });
add('XH-SCJ', 'E', '10', '商标专用权质押登记受理', { basis: '《注册商标专用权质权登记程序规定》第二条', days: [5, 2], pop: 120, online: 3, mats: ['商标专用权质权登记申请书', '主合同和注册商标专用权质权合同', '出质商标注册证复印件'] });
add('XH-SCJ', 'E', '05', '专利资助申请', { basis: '《上海市专利资助办法》第二条', days: [30, 20], pop: 900, online: 4, mats: ['专利证书或专利授权通知书', '专利费用缴纳凭证', '银行账户信息'] });
add('XH-SCJ', 'E', '09', '企业名称争议裁决', { basis: '《企业名称登记管理规定》第二十一条', days: [90, 60], pop: 40, online: 2, mats: ['企业名称争议裁决申请书', '被申请人企业名称侵犯本企业名称合法权益的证据材料'] });
add('XH-SCJ', 'E', '09', '专利侵权纠纷行政裁决', { basis: '《中华人民共和国专利法》第六十五条', days: [90, 60], pop: 60, online: 2, mats: ['专利侵权纠纷处理请求书', '专利证书及专利权有效证明', '侵权证据材料'] });
add('XH-SCJ', 'E', '08', '徐汇区区长质量奖评审', { basis: '《中华人民共和国产品质量法》第六条', days: [90, 60], pop: 90, online: 3, mats: ['区长质量奖申报书', '质量管理自评报告', '近三年财务审计报告'] });
add('XH-SCJ', 'P', '20', '消费者投诉举报受理', { basis: '《中华人民共和国消费者权益保护法》第三十九条', days: [7, 7], pop: 5200, online: 4, noApp: true, mats: ['投诉举报内容（含被投诉方名称、地址、诉求）', '购物凭证、合同等相关证据'], rl: 1 });
add('XH-SCJ', 'P', '08', '食品药品安全违法行为举报奖励', { basis: '《中华人民共和国食品安全法》第一百一十五条', days: [30, 20], pop: 300, online: 3, mats: ['举报奖励申请表', '银行账户信息'] });
add('XH-SCJ', 'P', '01', '特种设备作业人员资格认定', { basis: '《中华人民共和国特种设备安全法》第十四条', days: [20, 10], pop: 800, online: 3, mats: ['特种设备作业人员资格申请表', '学历证明', '考试合格证明', '近期一寸免冠照片'] });

// 徐汇区税务局 XH-SWJ --------------------------------------------------------
const ZGF = '《中华人民共和国税收征收管理法》';
const taxO = { where: W.tax, online: 4 };
add('XH-SWJ', 'E', '07', '税务登记', { ...taxO, basis: ZGF + '第十五条', days: [1, 0], pop: 9000, app: '“多证合一”登记信息确认表', mats: ['经办人居民身份证', '银行账户信息?已开立基本存款账户的'], cond: '已领取营业执照的纳税人，首次办理涉税事宜时确认登记信息；“多证合一”后无需另行领取税务登记证。' });
add('XH-SWJ', 'E', '07', '设立税务登记（非“多证合一”纳税人）', { ...taxO, online: 3, basis: ZGF + '第十五条', days: [1, 0], produces: '税务登记证', baseLic: 'xyzs', pop: 300, mats: ['单位设立批准文件或登记证书', '法定代表人（负责人）居民身份证', '经营（办公）场所使用证明'], cond: '事业单位、社会团体、律师事务所等不适用“多证合一”的纳税人，自批准设立之日起三十日内申报办理税务登记。' });
add('XH-SWJ', 'E', '07', '变更税务登记', { ...taxO, basis: ZGF + '第十六条', days: [1, 0], pop: 2200, mats: ['变更事项相关证明文件'] });
add('XH-SWJ', 'E', '07', '注销税务登记（清税申报）', { ...taxO, basis: ZGF + '第十六条', days: [20, 1], pop: 1800, mats: ['清税申报表', '上级主管部门批复文件或董事会决议?'] });
add('XH-SWJ', 'E', '10', '跨区域涉税事项报告', { ...taxO, basis: '《国家税务总局关于创新跨区域涉税事项报验管理制度的通知》（税总发〔2017〕103号）', days: [1, 0], pop: 1200, mats: ['跨区域涉税事项报告表', '外出经营合同'] });
add('XH-SWJ', 'E', '10', '发票领用', { ...taxO, basis: '《中华人民共和国发票管理办法》第十五条', days: [1, 0], pop: 8600, mats: ['经办人居民身份证', '发票专用章印模'], faq: [['新办企业什么时候可以领用发票？', '完成税务登记信息确认、实名采集和票种核定后即可申领，企业开办“一窗通”可同步办理，首次领用最快当天完成。']] });
add('XH-SWJ', 'E', '10', '发票增版增量', { ...taxO, basis: '《中华人民共和国发票管理办法》第十五条', days: [5, 1], pop: 1600, mats: ['发票增版增量申请说明', '经办人居民身份证'] });
add('XH-SWJ', 'E', '10', '发票验（交）旧', { ...taxO, basis: '《中华人民共和国发票管理办法实施细则》第二十三条', days: [1, 0], pop: 900, mats: ['已使用发票存根联'] });
add('XH-SWJ', 'E', '10', '发票缴销', { ...taxO, basis: '《中华人民共和国发票管理办法》第二十八条', days: [1, 0], pop: 700, mats: ['需缴销的空白发票'] });
add('XH-SWJ', 'E', '01', '增值税专用发票（增值税税控系统）最高开票限额审批', { ...taxO, basis: '《国务院对确需保留的行政审批项目设定行政许可的决定》（国务院令第412号）附件第236项', days: [20, 1], pop: 3000, mats: ['增值税专用发票最高开票限额申请单'] });
add('XH-SWJ', 'E', '07', '增值税一般纳税人登记', { ...taxO, basis: '《增值税一般纳税人登记管理办法》第三条', days: [1, 0], pop: 2600, mats: ['增值税一般纳税人登记表'] });
add('XH-SWJ', 'E', '10', '存款账户账号报告', { ...taxO, basis: ZGF + '第十七条', days: [1, 0], pop: 1400, mats: ['纳税人存款账户账号报告表'] });
add('XH-SWJ', 'E', '10', '财务会计制度及核算软件备案报告', { ...taxO, basis: ZGF + '第二十条', days: [1, 0], pop: 1100, mats: ['财务会计制度及核算软件备案报告书', '纳税人财务、会计制度或纳税人财务、会计核算办法'] });
add('XH-SWJ', 'E', '07', '停业登记', { ...taxO, basis: '《中华人民共和国税收征收管理法实施细则》第二十三条', days: [1, 0], pop: 200, mats: ['停业复业报告书'] });
add('XH-SWJ', 'E', '07', '复业登记', { ...taxO, basis: '《中华人民共和国税收征收管理法实施细则》第二十三条', days: [1, 0], pop: 150, mats: ['停业复业报告书'] });
add('XH-SWJ', 'E', '01', '对纳税人延期缴纳税款的核准', { ...taxO, online: 3, basis: ZGF + '第三十一条', days: [20, 10], pop: 300, mats: ['延期缴纳税款申请审批表', '当期货币资金余额情况及所有银行存款账户的对账单', '应付职工工资和社会保险费等税务机关要求提供的支出预算'] });
add('XH-SWJ', 'E', '01', '对纳税人延期申报的核准', { ...taxO, basis: ZGF + '第二十七条', days: [20, 5], pop: 300, mats: ['延期申报申请核准表'] });
add('XH-SWJ', 'E', '01', '对纳税人变更纳税定额的核准', { ...taxO, online: 3, basis: '《中华人民共和国税收征收管理法实施细则》第四十七条', days: [20, 10], pop: 250, mats: ['纳税定额调整申请书', '经营情况说明'] });
add('XH-SWJ', 'E', '01', '对采取实际利润额预缴以外的其他企业所得税预缴方式的核定', { ...taxO, basis: '《中华人民共和国企业所得税法实施条例》第一百二十七条', days: [20, 10], pop: 100, mats: ['企业所得税预缴方式核定申请表', '按照实际利润额预缴有困难的情况说明'] });
add('XH-SWJ', 'E', '10', '非正常户解除', { ...taxO, online: 3, basis: '《税务登记管理办法》第四十一条', days: [1, 0], pop: 500, mats: ['经办人居民身份证', '补办纳税申报资料'] });
for (const [name, basis, pop] of [
  ['增值税征收', '《中华人民共和国增值税法》第三条', 9100],
  ['企业所得税征收', '《中华人民共和国企业所得税法》第五十四条', 8700],
  ['消费税征收', '《中华人民共和国消费税暂行条例》第一条', 400],
  ['城市维护建设税征收', '《中华人民共和国城市维护建设税法》第一条', 6400],
  ['教育费附加征收', '《征收教育费附加的暂行规定》第二条', 6100],
  ['印花税征收', '《中华人民共和国印花税法》第一条', 5200],
  ['房产税征收', '《中华人民共和国房产税暂行条例》第一条', 2100],
  ['城镇土地使用税征收', '《中华人民共和国城镇土地使用税暂行条例》第二条', 1800],
  ['土地增值税征收', '《中华人民共和国土地增值税暂行条例》第二条', 400],
  ['环境保护税征收', '《中华人民共和国环境保护税法》第二条', 300],
  ['契税征收', '《中华人民共和国契税法》第一条', 1200],
  ['残疾人就业保障金征收', '《残疾人就业保障金征收使用管理办法》第七条', 3900],
  ['文化事业建设费征收', '《文化事业建设费征收管理暂行办法》第二条', 800],
  ['社会保险费征收（单位）', '《中华人民共和国社会保险法》第五十九条', 8800],
  ['个人所得税扣缴申报', '《中华人民共和国个人所得税法》第九条', 9000],
]) add('XH-SWJ', 'E', '04', name, { ...taxO, basis, days: [1, 0], pop, app: '纳税申报表（网上申报）', mats: ['财务会计报表及其说明材料?按规定需报送的'] });
add('XH-SWJ', 'E', '10', '出口退（免）税备案', { ...taxO, basis: '《出口货物劳务增值税和消费税管理办法》（国家税务总局公告2012年第24号）第五条', days: [2, 1], pop: 500, mats: ['出口退（免）税备案表'] });
add('XH-SWJ', 'E', '10', '出口退（免）税申报', { ...taxO, basis: '《出口货物劳务增值税和消费税管理办法》（国家税务总局公告2012年第24号）第八条', days: [20, 3], pop: 700, mats: ['出口退（免）税申报表', '出口货物报关单'] });
add('XH-SWJ', 'E', '10', '增值税期末留抵退税申请', { ...taxO, basis: '《财政部 税务总局关于进一步加大增值税期末留抵退税政策实施力度的公告》（2022年第14号）', days: [10, 5], pop: 1500, mats: ['退（抵）税申请表'] });
add('XH-SWJ', 'E', '10', '误收多缴退抵税', { ...taxO, basis: ZGF + '第五十一条', days: [30, 10], pop: 900, mats: ['退（抵）税申请表', '原完税凭证或缴款书?'] });
add('XH-SWJ', 'E', '10', '房产税、城镇土地使用税困难减免', { ...taxO, online: 3, basis: '《中华人民共和国房产税暂行条例》第六条', days: [20, 10], pop: 200, mats: ['纳税人减免税申请核准表', '减免税情况说明', 'cszm'] });
add('XH-SWJ', 'E', '10', '研发费用加计扣除优惠享受', { ...taxO, basis: '《中华人民共和国企业所得税法》第三十条', days: [1, 0], pop: 1600, mats: ['研发项目立项文件', '研发支出辅助账'] });
add('XH-SWJ', 'E', '20', '开具无欠税证明', { ...taxO, basis: '《国家税务总局关于开具无欠税证明有关事项的公告》（国家税务总局公告2019年第47号）', days: [1, 0], pop: 1300, noApp: true, mats: ['经办人居民身份证'] });
add('XH-SWJ', 'E', '20', '中国税收居民身份证明开具', { ...taxO, online: 3, basis: '《国家税务总局关于开具〈中国税收居民身份证明〉有关事项的公告》（国家税务总局公告2016年第40号）', days: [10, 7], pop: 250, mats: ['中国税收居民身份证明申请表', '与拟享受税收协定待遇收入有关的合同、协议'] });
add('XH-SWJ', 'E', '10', '服务贸易等项目对外支付税务备案', { ...taxO, basis: '《国家税务总局 国家外汇管理局关于服务贸易等项目对外支付税务备案有关问题的公告》（2013年第40号）', days: [1, 0], pop: 600, mats: ['服务贸易等项目对外支付税务备案表', '合同（协议）或相关交易凭证'] });
add('XH-SWJ', 'E', '10', '个体工商户定期定额核定', { ...taxO, online: 3, basis: '《个体工商户税收定期定额征收管理办法》第四条', days: [20, 10], pop: 400, mats: ['个体工商户定额信息采集表'] });
add('XH-SWJ', 'E', '10', '纳税信用修复', { ...taxO, basis: '《国家税务总局关于纳税信用修复有关事项的公告》（2019年第37号）', days: [15, 5], pop: 700, mats: ['纳税信用修复申请表', '纠正失信行为的相关证明'] });
add('XH-SWJ', 'P', '04', '房屋交易税收申报', {
  form: BDC_DEAL, where: W.bdc, online: 3, visits: 1, basis: '《中华人民共和国契税法》第九条；《中华人民共和国个人所得税法》第二条', days: [1, 0], produces: '中华人民共和国税收完税证明', pop: 8000,
  app: '房屋交易涉税申报表', mats: ['房屋买卖合同（网签备案）', 'bdc?转让存量房的，提供卖方不动产权证书', 'hkb?申请家庭唯一住房或首套住房契税优惠的', 'jhz?申请家庭住房契税优惠且已婚的', '房屋原值凭证?按实际所得申报个人所得税的'],
  cond: '已完成房屋买卖合同网签备案的买卖双方；可在不动产交易登记“三位一体”窗口与转移登记一并受理。',
});
add('XH-SWJ', 'P', '04', '个人所得税综合所得汇算清缴', { where: W.taxP, online: 4, basis: '《中华人民共和国个人所得税法》第十一条', days: [1, 0], pop: 9400, noApp: true, mats: ['个人所得税年度自行纳税申报表（网上填报）', '专项附加扣除相关证明?享受专项附加扣除的'], cond: '取得综合所得且需要补税或申请退税的居民个人，在次年3月1日至6月30日办理。' });
add('XH-SWJ', 'P', '20', '个人所得税专项附加扣除信息采集', { where: W.taxP, online: 4, basis: '《个人所得税专项附加扣除暂行办法》第二十五条', days: [1, 0], pop: 8600, noApp: true, mats: ['专项附加扣除信息表（网上填报）', 'csyx?申报子女教育、3岁以下婴幼儿照护扣除的', 'jhz?配偶间分摊扣除的'] });
add('XH-SWJ', 'P', '20', '开具税收完税证明', { where: W.taxP, online: 4, basis: '《税收票证管理办法》第十条', days: [1, 0], produces: '中华人民共和国税收完税证明', pop: 3100, noApp: true, mats: ['完税证明开具申请（网上提交）'] });
add('XH-SWJ', 'P', '04', '车辆购置税征收', { where: W.taxP, online: 4, basis: '《中华人民共和国车辆购置税法》第一条', days: [1, 0], pop: 2400, app: '车辆购置税纳税申报表', mats: ['机动车销售统一发票', '车辆合格证明'] });
add('XH-SWJ', 'P', '04', '灵活就业人员社会保险费缴纳', { where: W.taxP, online: 4, basis: '《中华人民共和国社会保险法》第十条', days: [1, 0], pop: 2900, noApp: true, mats: ['缴费信息确认（网上办理）'] });
add('XH-SWJ', 'P', '10', '代开增值税发票（自然人）', { where: W.taxP, online: 4, basis: '《中华人民共和国发票管理办法》第十六条', days: [1, 0], pop: 2100, mats: ['代开增值税发票缴纳税款申报单', '付款方对所购货物或服务的确认证明?'] });

// 区人力资源社会保障局 XH-RSJ -----------------------------------------------
const SBF = '《中华人民共和国社会保险法》';
const JYF = '《中华人民共和国就业促进法》第十五条';
add('XH-RSJ', 'E', '07', '社保开户登记', { where: W.kb, online: 4, basis: SBF + '第五十七条', days: [15, 0], pop: 8800, app: '社会保险登记表（单位）', mats: ['银行账户信息'], cond: '用人单位自成立之日起三十日内申请办理社会保险登记；企业开办“一窗通”中同步办理。' });
add('XH-RSJ', 'E', '07', '单位社会保险登记变更', { online: 4, basis: SBF + '第五十七条', days: [15, 0], pop: 1900, mats: ['变更事项相关证明材料'] });
add('XH-RSJ', 'E', '07', '单位社会保险注销登记', { online: 4, basis: SBF + '第五十七条', days: [15, 1], pop: 900, mats: ['注销或终止的批准文件或决议', '结清社会保险费证明'] });
add('XH-RSJ', 'E', '07', '职工社会保险增员', { online: 4, basis: SBF + '第五十八条', days: [1, 0], pop: 9200, noApp: true, mats: ['职工参保信息（网上申报）', '劳动合同?'] });
add('XH-RSJ', 'E', '07', '职工社会保险减员', { online: 4, basis: SBF + '第五十八条', days: [1, 0], pop: 8400, noApp: true, mats: ['职工减员信息（网上申报）', '解除或终止劳动合同证明'] });
add('XH-RSJ', 'E', '10', '社会保险缴费基数申报', { online: 4, basis: '《社会保险费征缴暂行条例》第十条', days: [1, 0], pop: 7600, noApp: true, mats: ['职工工资总额及缴费基数申报表（网上填报）', '上年度职工工资发放明细'] });
vary('XH-RSJ', 'E', '01', '劳务派遣经营许可', ['新办', '变更', '延续', '注销'], { basis: '《中华人民共和国劳动合同法》第五十七条', days: [20, 10], produces: '劳务派遣经营许可证', pop: 600, online: 3, mats: ['验资报告或实缴注册资本证明（不得少于人民币二百万元）', '与开展业务相适应的固定经营场所使用证明', '劳务派遣管理制度', '法定代表人居民身份证'] });
vary('XH-RSJ', 'E', '01', '人力资源服务许可', ['新办', '变更', '注销'], { basis: '《人力资源市场暂行条例》第十八条', days: [20, 5], produces: '人力资源服务许可证', pop: 700, online: 4, mats: ['与开展业务相适应的专业人员证明', '经营场所使用证明', '人力资源服务工作制度'] });
add('XH-RSJ', 'E', '10', '人力资源服务机构备案', { basis: '《人力资源市场暂行条例》第十九条', days: [1, 0], pop: 500, online: 4, mats: ['人力资源服务机构备案表'] });
add('XH-RSJ', 'E', '01', '企业实行不定时工作制和综合计算工时工作制审批', { basis: '《中华人民共和国劳动法》第三十九条', days: [20, 10], pop: 800, online: 4, mats: ['实行特殊工时制度申请表', '工会或职工代表大会意见', '涉及岗位及职工名单'] });
vary('XH-RSJ', 'E', '01', '民办职业培训学校审批', ['设立', '变更', '终止'], { foundNew: true, basis: '《中华人民共和国民办教育促进法》第十二条', days: [60, 20], produces: '民办职业培训学校办学许可证', pop: 150, online: 3, site: true, baseLic: 'mfq', mats: ['举办者资格证明', '学校章程和首届理事会组成人员名单', '办学场所使用证明', 'xfhg?办学场所属于公众聚集场所的', '培训专业（工种）教学计划'] });
add('XH-RSJ', 'E', '07', '工伤认定', { basis: '《工伤保险条例》第十七条', days: [60, 30], pop: 1500, online: 3, mats: ['工伤认定申请表', '与用人单位存在劳动关系的证明材料', '医疗诊断证明或职业病诊断证明书', '受伤职工居民身份证'], cond: '职工发生事故伤害或被诊断、鉴定为职业病的，所在单位应当自事故伤害发生之日或诊断、鉴定为职业病之日起30日内提出申请。' });
for (const [name, pop, mats] of [
  ['失业保险稳岗返还', 3500, ['稳岗返还申请（系统比对，免申即享）', '银行账户信息']],
  ['招用就业困难人员社会保险费补贴', 500, ['招用人员名单及劳动合同', '社会保险缴费记录']],
  ['职业培训补贴（企业职工）', 900, ['培训计划及培训人员名单', '培训费用支付凭证']],
  ['就业见习补贴', 400, ['见习协议', '见习人员名单及考勤记录']],
  ['创业场地房租补贴', 300, ['经营场所租赁合同', '房租支付凭证']],
  ['首次创业一次性补贴', 600, ['创业组织法定代表人居民身份证', '社会保险缴费记录']],
  ['公益性岗位补贴', 200, ['公益性岗位人员名单', '工资发放及社保缴费记录']],
  ['企业新型学徒制培训补贴', 250, ['学徒培养协议', '学徒名单及劳动合同']],
]) add('XH-RSJ', 'E', '05', name, { basis: JYF, days: [30, 20], pop, online: 4, mats });
add('XH-RSJ', 'E', '07', '用人单位招用人员就业登记', { basis: '《就业服务与就业管理规定》第六十二条', days: [1, 0], pop: 6800, online: 4, noApp: true, mats: ['招用人员就业登记信息（网上申报）', '劳动合同'] });
add('XH-RSJ', 'E', '10', '企业年金方案备案', { basis: '《企业年金办法》第十条', days: [15, 10], pop: 120, online: 3, mats: ['企业年金方案', '职工代表大会或全体职工讨论通过的证明材料'] });
add('XH-RSJ', 'E', '10', '集体合同审查', { basis: '《中华人民共和国劳动合同法》第五十四条', days: [15, 10], pop: 300, online: 3, mats: ['集体合同文本', '职工代表大会或全体职工讨论通过的证明'] });
add('XH-RSJ', 'E', '10', '经济性裁员报告', { basis: '《中华人民共和国劳动合同法》第四十一条', days: [5, 3], pop: 80, online: 3, mats: ['裁减人员方案', '工会或全体职工意见', '裁减人员名单'] });
add('XH-RSJ', 'E', '07', '特殊工种提前退休审批', { basis: '《国务院关于工人退休、退职的暂行办法》（国发〔1978〕104号）第一条', days: [20, 10], pop: 100, online: 3, mats: ['特殊工种提前退休申请表', '本人档案', '职工居民身份证'] });
add('XH-RSJ', 'E', '07', '职工正常退休申报', { basis: SBF + '第十六条', days: [20, 5], pop: 3600, online: 4, mats: ['职工退休申报表', '职工居民身份证'] });
add('XH-RSJ', 'E', '10', '职业技能等级认定机构备案', { basis: '《人力资源社会保障部关于改革完善技能人才评价制度的意见》（人社部发〔2019〕90号）', days: [20, 10], pop: 90, online: 3, mats: ['职业技能等级认定机构备案申请表', '评价场地设施设备清单', '考评人员名单'] });
const SBP = { where: W.P };
add('XH-RSJ', 'P', '05', '失业保险金申领', { ...SBP, online: 4, basis: SBF + '第四十五条', days: [20, 5], pop: 7700, mats: ['sbk', '终止或解除劳动合同证明'], cond: '失业前用人单位和本人已经缴纳失业保险费满一年，非因本人意愿中断就业，已经进行失业登记并有求职要求。' });
add('XH-RSJ', 'P', '07', '灵活就业人员社保登记', { ...SBP, online: 4, basis: SBF + '第十条', days: [1, 0], pop: 4800, mats: ['hkb?本市户籍人员', 'jzz?持本市居住证人员'] });
add('XH-RSJ', 'P', '07', '失业登记', { ...SBP, online: 4, basis: '《就业服务与就业管理规定》第六十三条', days: [1, 0], pop: 5300, mats: ['hkb?本市户籍失业人员', 'jzz?常住地在本市的非本市户籍失业人员'] });
add('XH-RSJ', 'P', '07', '就业创业证申领', { ...SBP, online: 4, basis: '《就业服务与就业管理规定》第六十五条', days: [1, 0], produces: '就业创业证', pop: 1800, mats: ['近期一寸免冠照片'] });
add('XH-RSJ', 'P', '20', '社会保障卡申领', { ...SBP, pform: true, online: 4, basis: SBF + '第五十八条', days: [20, 10], produces: '社会保障卡', pop: 6200, mats: ['近期一寸免冠彩色照片（可现场采集）'] });
add('XH-RSJ', 'P', '20', '社会保障卡补卡换卡', { ...SBP, kind: 'reissue', online: 4, basis: SBF + '第五十八条', days: [20, 10], produces: '社会保障卡', pop: 3900, mats: ['sbk?损坏换卡的'] });
add('XH-RSJ', 'P', '20', '社会保险个人权益记录查询打印', { ...SBP, online: 4, basis: '《社会保险个人权益记录管理办法》第十五条', days: [1, 0], pop: 8300, noApp: true, mats: ['查询申请（自助终端或网上）'] });
add('XH-RSJ', 'P', '20', '养老保险关系转移接续', { ...SBP, online: 4, basis: SBF + '第十九条', days: [45, 15], pop: 2700, mats: ['养老保险关系转移接续申请表', '参保缴费凭证?'] });
add('XH-RSJ', 'P', '05', '基本养老金申领', { ...SBP, online: 3, basis: SBF + '第十六条', days: [20, 5], pop: 4200, mats: ['sbk', 'hkb?本市户籍人员'] });
add('XH-RSJ', 'P', '05', '丧葬补助金、抚恤金申领', { ...SBP, online: 3, basis: SBF + '第十七条', days: [20, 5], pop: 1400, mats: ['居民死亡医学证明（推断）书', '申领人与死者关系证明', 'hkb'] });
add('XH-RSJ', 'P', '07', '职业技能等级认定', { ...SBP, online: 3, basis: '《中华人民共和国劳动法》第六十九条', days: [30, 20], produces: '职业技能等级证书', pop: 2300, mats: ['职业技能等级认定报名表', '学历证书或原职业资格（技能等级）证书?'] });
add('XH-RSJ', 'P', '05', '技能提升补贴申领', { ...SBP, online: 4, basis: '《人力资源社会保障部 财政部关于失业保险支持参保职工提升职业技能有关问题的通知》（人社部发〔2017〕40号）', days: [20, 10], pop: 2200, mats: ['zyjn', 'sbk'] });
add('XH-RSJ', 'P', '05', '职业培训补贴（个人）', { ...SBP, online: 4, basis: JYF, days: [30, 20], pop: 1700, mats: ['培训合格证书', '培训费用发票'] });
add('XH-RSJ', 'P', '05', '工伤保险待遇申领', { ...SBP, online: 3, basis: '《工伤保险条例》第三十条', days: [20, 10], pop: 1300, mats: ['工伤认定决定书', '医疗费用票据及病历资料', 'sbk'] });
add('XH-RSJ', 'P', '07', '劳动能力鉴定', { ...SBP, online: 3, basis: '《工伤保险条例》第二十三条', days: [60, 40], pop: 900, mats: ['劳动能力鉴定申请表', '工伤认定决定书', '有关医疗诊断证明及病历资料'] });
add('XH-RSJ', 'P', '09', '劳动人事争议仲裁申请', { where: '徐汇区劳动人事争议仲裁院', online: 3, basis: '《中华人民共和国劳动争议调解仲裁法》第二十八条', days: [45, 45], pop: 2600, app: '仲裁申请书', mats: ['被申请人主体信息（营业执照或登记信息）', '劳动关系证明及相关证据材料'] });
add('XH-RSJ', 'P', '20', '劳动保障监察投诉', { ...SBP, online: 4, basis: '《劳动保障监察条例》第九条', days: [60, 30], pop: 2400, noApp: true, mats: ['投诉书（含用人单位名称、地址及违法事实）', '劳动关系相关证据'] });
add('XH-RSJ', 'P', '07', '居住证积分申请', { ...SBP, online: 3, basis: '《上海市居住证积分管理办法》第二条', days: [20, 15], pop: 7300, mats: ['jzz', '学历（学位）证书?以学历积分的', 'zyjn?以职业资格或技能等级积分的', 'jhz?配偶随迁或申请子女积分的', '劳动合同'], cond: '持有效《上海市居住证》、在本市合法稳定就业并按规定缴纳职工社会保险费的人员。' });
add('XH-RSJ', 'P', '07', '居住证积分续办', { ...SBP, kind: 'renew', online: 4, basis: '《上海市居住证积分管理办法》第二条', days: [20, 10], pop: 3600, mats: ['jzz', '劳动合同'] });
add('XH-RSJ', 'P', '07', '人才引进落户申请', { ...SBP, online: 3, basis: '《上海市引进人才申办本市常住户口办法》第二条', days: [40, 30], pop: 2800, mats: ['jzz?持本市居住证的', '学历（学位）证书', '劳动合同', 'jhz?配偶随迁的', '个人所得税纳税记录'] });
add('XH-RSJ', 'P', '07', '居住证转办常住户口申请', { ...SBP, online: 3, basis: '《上海市居住证持有人申办本市常住户口办法》第二条', days: [40, 30], pop: 3300, mats: ['jzz', 'zyjn?以技能等级申办的', '劳动合同', 'jhz?配偶随迁的'] });
add('XH-RSJ', 'P', '20', '职业介绍', { ...SBP, online: 4, basis: '《中华人民共和国就业促进法》第三十五条', days: [1, 0], pop: 2000, noApp: true, mats: ['求职登记信息'] });
add('XH-RSJ', 'P', '07', '就业困难人员认定', { where: W.sq, online: 3, basis: '《中华人民共和国就业促进法》第五十二条', days: [20, 10], pop: 1100, mats: ['hkb', 'cjrz?残疾人申请认定的', '失业登记证明'] });

// 区规划资源局 XH-GHZYJ ------------------------------------------------------
const CXGH = '《中华人民共和国城乡规划法》';
const BDCT = '《不动产登记暂行条例》第十四条';
const bO = { where: W.build, online: 3 };
const projForm = [['project', '项目名称', 'text', 1], ['location', '建设位置', 'address', 1], ['scale', '建设规模（平方米）', 'number', 1]];
add('XH-GHZYJ', 'E', '01', '建设工程规划许可证核发', { ...bO, basis: CXGH + '第四十条', days: [20, 10], produces: '建设工程规划许可证', pop: 1500, form: projForm, mats: ['jsyd', 'bdc?已取得国有建设用地使用权的', '建设工程设计方案批复文件', '建设工程施工图（规划部分）及电子文件'], cond: '已取得建设用地规划许可证和土地使用权证明，建设工程设计方案已经审定。' });
add('XH-GHZYJ', 'E', '01', '建设工程规划许可证变更', { ...bO, kind: 'chg', base: '建设工程规划许可证核发', basis: CXGH + '第四十三条', days: [20, 10], produces: '建设工程规划许可证', pop: 500, mats: ['变更内容说明及修改后的施工图'] });
add('XH-GHZYJ', 'E', '01', '建设用地规划许可证核发', { ...bO, basis: CXGH + '第三十八条', days: [20, 10], produces: '建设用地规划许可证', pop: 900, form: projForm, mats: ['xzyj?划拨用地项目', '国有建设用地使用权出让合同?出让用地项目', '建设项目批准、核准或备案文件', '用地红线图'] });
add('XH-GHZYJ', 'E', '01', '建设项目用地预审与选址意见书核发', { ...bO, basis: CXGH + '第三十六条；《中华人民共和国土地管理法》第五十二条', days: [20, 10], produces: '建设项目用地预审与选址意见书', pop: 400, form: projForm, mats: ['建设项目建议书或项目申请报告', '项目用地位置示意图', '建设项目节地评价材料?'] });
add('XH-GHZYJ', 'E', '01', '建设工程设计方案审核', { ...bO, basis: '《上海市城乡规划条例》第三十六条', days: [20, 10], pop: 900, form: projForm, mats: ['jsyd', '建设工程设计方案文本及电子文件', '交通影响评价审查意见?达到交通影响评价启动阈值的'] });
add('XH-GHZYJ', 'E', '01', '建设工程竣工规划资源验收', { ...bO, basis: CXGH + '第四十五条', days: [20, 10], produces: '建设工程规划资源验收合格证', pop: 600, mats: ['jsgh', '竣工规划测量成果报告', '土地核验测量报告', '竣工图'] });
add('XH-GHZYJ', 'E', '01', '临时建设工程规划许可', { ...bO, basis: CXGH + '第四十四条', days: [20, 10], pop: 200, mats: ['临时建设工程设计图纸', '场地使用权证明', '限期拆除承诺书'] });
add('XH-GHZYJ', 'E', '01', '临时用地审批', { ...bO, basis: '《中华人民共和国土地管理法》第五十七条', days: [20, 10], pop: 250, mats: ['临时用地合同', '土地复垦方案', '临时用地位置图'] });
add('XH-GHZYJ', 'E', '01', '国有建设用地使用权划拨批准', { ...bO, basis: '《中华人民共和国土地管理法》第五十四条', days: [20, 15], pop: 80, mats: ['xzyj', 'jsyd', '建设项目批准文件', '勘测定界成果'] });
const bdcO = { where: W.bdc, online: 3, fee: FEE_BDC[0], feeBasis: FEE_BDC[1] };
add('XH-GHZYJ', 'E', '07', '不动产首次登记', { ...bdcO, basis: BDCT, days: [30, 5], produces: '不动产权证书', pop: 1100, app: '不动产登记申请书', mats: ['bdc?土地使用权已登记的，提供土地不动产权证书', 'jsgh', 'ghys', 'jgba', '房屋测绘报告'], cond: '新建建筑物已竣工验收备案，土地使用权已依法登记。' });
add('XH-GHZYJ', 'E', '07', '国有建设用地使用权首次登记', { ...bdcO, basis: BDCT, days: [30, 5], produces: '不动产权证书', pop: 300, app: '不动产登记申请书', mats: ['国有建设用地使用权出让合同或划拨决定书', '土地出让价款、税费缴纳凭证', '不动产权籍调查成果'] });
add('XH-GHZYJ', 'E', '07', '国有建设用地使用权转移登记', { ...bdcO, basis: BDCT, days: [30, 5], produces: '不动产权证书', pop: 150, app: '不动产登记申请书', mats: ['bdc', '土地使用权转让合同', 'wszm'] });
vary('XH-GHZYJ', 'E', '07', '不动产抵押权登记', ['设立', '变更', '注销'], { ...bdcO, basis: '《中华人民共和国民法典》第四百零二条；' + BDCT, days: [30, 1], produces: '不动产登记证明', pop: 4200, app: '不动产登记申请书', mats: ['bdc', '主债权合同及抵押合同'] });
add('XH-GHZYJ', 'E', '07', '在建建筑物抵押权登记', { ...bdcO, basis: '《中华人民共和国民法典》第三百九十五条；' + BDCT, days: [30, 5], produces: '不动产登记证明', pop: 300, app: '不动产登记申请书', mats: ['bdc', 'jsgh', 'sgxk', '主债权合同及抵押合同'] });
add('XH-GHZYJ', 'E', '07', '不动产地役权登记', { ...bdcO, basis: '《中华人民共和国民法典》第三百七十四条', days: [30, 10], produces: '不动产登记证明', pop: 40, app: '不动产登记申请书', mats: ['bdc', '地役权合同', '地役权位置图'] });
add('XH-GHZYJ', 'E', '07', '不动产注销登记', { ...bdcO, fee: '不收费', feeBasis: '', basis: BDCT, days: [30, 5], pop: 200, app: '不动产登记申请书', mats: ['bdc', '不动产灭失或权利消灭的证明材料'] });
add('XH-GHZYJ', 'E', '09', '土地权属争议调处', { ...bO, online: 1, basis: '《中华人民共和国土地管理法》第十四条', days: [90, 60], pop: 30, mats: ['土地权属争议调处申请书', '土地权属来源证明', '争议地块位置图'] });
add('XH-GHZYJ', 'E', '20', '测绘地理信息成果提供', { ...bO, online: 4, basis: '《中华人民共和国测绘成果管理条例》第十五条', days: [10, 5], pop: 300, mats: ['测绘成果使用申请表', '成果使用保密承诺书'] });
add('XH-GHZYJ', 'P', '07', '不动产转移登记', {
  ...bdcO, form: BDC_DEAL, basis: '《不动产登记暂行条例》第十四条、第二十条', days: [30, 5], produces: '不动产权证书', pop: 9000, app: '不动产登记申请书',
  mats: ['bdc', '房屋买卖合同（网签备案）', 'wszm', 'hkb?申请人需证明家庭成员关系的', 'jhz?权利人已婚的'],
  cond: '已完成房屋买卖合同网签备案并缴清税费；买卖双方共同申请。通过“三位一体”窗口一次受理交易、税收和登记。',
  faq: [['“三位一体”是什么意思？', '不动产交易登记窗口一窗受理合同网签备案、房屋交易税收申报和不动产转移登记，一套材料、一次提交，5个工作日内领取不动产权证书，部分登记业务当场办结。']],
});
add('XH-GHZYJ', 'P', '07', '不动产转移登记（继承、受遗赠）', { ...bdcO, basis: BDCT, days: [30, 10], produces: '不动产权证书', pop: 2500, app: '不动产登记申请书', mats: ['bdc', '被继承人死亡证明', '继承权公证书或生效法律文书', 'hkb', 'jhz?'] });
add('XH-GHZYJ', 'P', '07', '不动产转移登记（赠与）', { ...bdcO, basis: BDCT, days: [30, 5], produces: '不动产权证书', pop: 1400, app: '不动产登记申请书', mats: ['bdc', '赠与合同', 'wszm', 'hkb?直系亲属间赠与的'] });
add('XH-GHZYJ', 'P', '07', '不动产变更登记', { ...bdcO, basis: BDCT, days: [30, 3], produces: '不动产权证书', pop: 1800, app: '不动产登记申请书', mats: ['bdc', '变更事项证明材料', 'jhz?夫妻间变更共有情况的'] });
add('XH-GHZYJ', 'P', '07', '预购商品房预告登记', { ...bdcO, basis: '《中华人民共和国民法典》第二百二十一条', days: [30, 3], pop: 2200, app: '不动产登记申请书', mats: ['商品房预售合同（网签备案）', '已登记的在建建筑物抵押权人同意预告登记的书面材料?'] });
add('XH-GHZYJ', 'P', '07', '不动产更正登记', { ...bdcO, fee: '不收费', feeBasis: '', basis: '《不动产登记暂行条例实施细则》第七十九条', days: [30, 10], pop: 600, app: '不动产登记申请书', mats: ['bdc', '证实不动产登记簿记载事项错误的材料'] });
add('XH-GHZYJ', 'P', '07', '不动产异议登记', { ...bdcO, basis: '《中华人民共和国民法典》第二百二十条', days: [30, 1], pop: 150, app: '不动产登记申请书', mats: ['证实对登记的不动产权利有利害关系的材料', '证实不动产登记簿记载事项错误的材料'] });
add('XH-GHZYJ', 'P', '07', '不动产权证书补证换证', { ...bdcO, kind: 'reissue', fee: '证书工本费每本10元', basis: '《不动产登记暂行条例实施细则》第二十二条', days: [30, 10], produces: '不动产权证书', pop: 1200, app: '不动产登记申请书', mats: ['bdc?换证的，提供原不动产权证书', '遗失声明?补证的'] });
add('XH-GHZYJ', 'P', '20', '不动产登记资料查询', { ...bdcO, online: 4, fee: '不收费', feeBasis: '', basis: '《不动产登记资料查询暂行办法》第四条', days: [1, 0], pop: 6200, noApp: true, mats: ['不动产登记资料查询申请书'] });

// 区房管局 XH-FGJ ------------------------------------------------------------
vary('XH-FGJ', 'E', '01', '商品房预售许可', ['新办', '变更'], { ...bO, basis: '《中华人民共和国城市房地产管理法》第四十五条；《城市商品房预售管理办法》第七条', days: [10, 5], produces: '商品房预售许可证', pop: 500, mats: ['fkzz', 'bdc?土地使用权证书', 'jsgh', 'sgxk', '商品房预售方案'] });
vary('XH-FGJ', 'E', '01', '房地产开发企业资质核定', ['新办', '延续', '变更'], { ...bO, basis: '《城市房地产开发经营管理条例》第九条', days: [20, 10], produces: '房地产开发企业资质证书', pop: 200, mats: ['专业技术人员职称证书及劳动合同', '企业章程', '近三年房地产开发业绩证明?申请二级资质的'] });
add('XH-FGJ', 'E', '10', '新建商品房买卖合同网签备案', { ...bO, online: 4, basis: '《城市商品房预售管理办法》第十条', days: [5, 0], pop: 1200, mats: ['ysxk', '商品房买卖合同（网签）', '购房人身份证明'] });
add('XH-FGJ', 'E', '10', '商品房现售备案', { ...bO, basis: '《商品房销售管理办法》第八条', days: [5, 3], pop: 100, mats: ['fkzz', 'jgba', '房地产开发项目手册'] });
add('XH-FGJ', 'E', '10', '商品房预售资金监管', { ...bO, basis: '《城市商品房预售管理办法》第十一条', days: [5, 2], pop: 300, mats: ['ysxk', '预售资金监管协议'] });
add('XH-FGJ', 'E', '10', '前期物业服务合同备案', { ...bO, basis: '《物业管理条例》第二十一条', days: [5, 3], pop: 200, mats: ['前期物业服务合同', '临时管理规约'] });
add('XH-FGJ', 'E', '10', '物业承接查验备案', { ...bO, basis: '《物业管理条例》第二十八条', days: [5, 3], pop: 150, mats: ['物业承接查验协议', '物业承接查验记录', '竣工验收资料'] });
add('XH-FGJ', 'E', '10', '业主大会成立备案', { ...bO, baseLic: null, basis: '《物业管理条例》第十条', days: [5, 3], pop: 300, mats: ['业主大会会议决议', '管理规约和业主大会议事规则', '业主委员会委员名单及身份证明'] });
add('XH-FGJ', 'E', '10', '住宅专项维修资金使用审核', { ...bO, baseLic: null, basis: '《住宅专项维修资金管理办法》第二十二条', days: [10, 5], pop: 600, mats: ['维修资金使用方案', '业主表决结果', '工程预算书'] });
add('XH-FGJ', 'E', '10', '住房租赁企业开业报告', { ...bO, basis: '《上海市住房租赁条例》第十四条', days: [5, 1], pop: 180, mats: ['住房租赁企业开业报告表', '经营场所使用证明'] });
add('XH-FGJ', 'E', '10', '房地产经纪机构备案', { ...bO, basis: '《房地产经纪管理办法》第十一条', days: [5, 1], pop: 400, mats: ['房地产经纪机构备案表', '房地产经纪专业人员职业资格证书'] });
add('XH-FGJ', 'E', '01', '优秀历史建筑修缮工程审批', { ...bO, basis: '《上海市历史文化风貌区和优秀历史建筑保护条例》第二十八条', days: [20, 15], pop: 120, mats: ['bdc', '修缮设计方案', '房屋质量检测报告'], cond: '徐汇区衡山路—复兴路历史文化风貌区等区域内优秀历史建筑的修缮，应当按照保护要求编制修缮方案并报经批准。' });
add('XH-FGJ', 'E', '01', '公有非居住房屋租赁审批', { ...bO, basis: '《上海市城镇公有房屋管理条例》第十四条', days: [20, 10], pop: 90, mats: ['公有非居住房屋租赁合同', '房屋现状及用途说明'] });
const fgP = { where: W.P, online: 3 };
add('XH-FGJ', 'P', '10', '房屋买卖合同网签备案', { where: W.bdc, online: 3, form: BDC_DEAL, basis: '《住房城乡建设部关于进一步规范和加强房屋网签备案工作的指导意见》（建房〔2018〕128号）', days: [1, 0], pop: 7600, mats: ['bdc', '房屋买卖合同（网签）', 'hkb?购房人需核验购房资格的', 'jhz?购房人已婚的'], cond: '存量房买卖双方已签订房屋买卖合同，房屋不存在查封、异议等限制交易情形，购房人符合本市住房限购政策。' });
add('XH-FGJ', 'P', '10', '房屋租赁合同登记备案', { ...fgP, online: 4, basis: '《商品房屋租赁管理办法》第十四条', days: [3, 0], produces: '房屋租赁合同登记备案证明', pop: 6100, mats: ['房屋租赁合同', 'bdc?出租人提供房屋权属证明', 'gfpz?出租公有住房的'] });
add('XH-FGJ', 'P', '07', '公有住房承租人变更', { ...fgP, basis: '《上海市城镇公有房屋管理条例》第十九条', days: [20, 10], produces: '公有住房租赁凭证', pop: 900, mats: ['gfpz', 'hkb', '同住成年人协商一致的书面意见'] });
add('XH-FGJ', 'P', '07', '公有住房差价交换', { ...fgP, basis: '《上海市城镇公有房屋管理条例》第二十一条', days: [20, 10], produces: '公有住房租赁凭证', pop: 150, mats: ['gfpz', '差价交换合同', 'hkb'] });
add('XH-FGJ', 'P', '10', '公有住房出售', { ...fgP, basis: '《上海市出售公有住房暂行办法》第二条', days: [30, 20], pop: 200, mats: ['gfpz', 'hkb', '同住人同意购房的书面意见'] });
add('XH-FGJ', 'P', '20', '公有住房租赁凭证补发', { ...fgP, kind: 'reissue', basis: '《上海市城镇公有房屋管理条例》第十九条', days: [10, 5], produces: '公有住房租赁凭证', pop: 300, mats: ['遗失声明'] });
add('XH-FGJ', 'P', '20', '共有产权保障住房申请', { where: W.sq, online: 3, basis: '《上海市共有产权保障住房管理办法》第十四条', days: [60, 45], produces: '共有产权保障住房准购证明', pop: 2600, mats: ['hkb', 'jhz?已婚的', 'lhz?离异的', '家庭收入和财产申报表', 'bdc?现有住房情况证明'] });
add('XH-FGJ', 'P', '05', '廉租住房申请', { where: W.sq, online: 3, basis: '《廉租住房保障办法》第十五条', days: [60, 45], pop: 700, mats: ['hkb', '家庭收入和财产申报表', '现住房情况证明', 'cjrz?家庭成员有残疾的'], publicize: true });
add('XH-FGJ', 'P', '20', '公共租赁住房申请', { ...fgP, online: 4, basis: '《公共租赁住房管理办法》第七条', days: [30, 20], pop: 1900, mats: ['jzz?非本市户籍的', '劳动合同', '社会保险缴纳证明'] });
add('XH-FGJ', 'P', '20', '既有多层住宅加装电梯申请', { ...fgP, basis: '《中华人民共和国民法典》第二百七十八条', days: [20, 15], pop: 1300, mats: ['业主表决意见书', '加装电梯设计方案', 'bdc'] });
add('XH-FGJ', 'P', '20', '存量房交易资金监管', { where: W.bdc, online: 3, basis: '《住房城乡建设部关于进一步规范和加强房屋网签备案工作的指导意见》（建房〔2018〕128号）', days: [1, 0], pop: 2000, mats: ['房屋买卖合同（网签备案）', '资金监管协议'] });
add('XH-FGJ', 'P', '10', '住宅室内装饰装修登记', { ...fgP, online: 4, basis: '《住宅室内装饰装修管理办法》第十三条', days: [3, 0], pop: 1600, mats: ['bdc', '装修方案', '装饰装修企业资质证书?委托企业施工的'] });

// 区建设管理委 XH-JSGLW ------------------------------------------------------
vary('XH-JSGLW', 'E', '01', '建筑工程施工许可', ['新办', '变更', '延期'], { ...bO, basis: '《中华人民共和国建筑法》第七条', days: [7, 3], produces: '建筑工程施工许可证', pop: 1300, form: projForm, mats: ['jsgh', 'bdc?已取得土地使用权的', 'jzzz', '施工合同', '建设资金落实承诺书'] });
vary('XH-JSGLW', 'E', '01', '建筑业企业资质核准', ['新办', '变更', '延续'], { ...bO, basis: '《中华人民共和国建筑法》第十三条', days: [20, 10], produces: '建筑业企业资质证书', pop: 400, mats: ['企业资产证明', '注册建造师及技术负责人证明', '企业章程'] });
add('XH-JSGLW', 'E', '10', '建设工程竣工验收备案', { ...bO, basis: '《建设工程质量管理条例》第四十九条', days: [15, 5], produces: '建设工程竣工验收备案证书', pop: 700, mats: ['sgxk', '工程竣工验收报告', 'ghys', '工程质量保修书'] });
add('XH-JSGLW', 'E', '10', '建设工程质量安全监督申报', { ...bO, online: 4, basis: '《建设工程质量管理条例》第十三条', days: [5, 1], pop: 900, mats: ['jsgh', '施工图设计文件审查合格书', '施工、监理中标通知书或合同'] });
add('XH-JSGLW', 'E', '01', '消防设计审查', { ...bO, basis: '《中华人民共和国消防法》第十一条', days: [15, 10], pop: 1200, form: projForm, mats: ['消防设计文件', 'jsgh?已取得的', '特殊消防设计技术资料?采用特殊消防设计的'], cond: '属于特殊建设工程的，建设单位应当将消防设计文件报送审查，未经审查或审查不合格的，不得施工。' });
add('XH-JSGLW', 'E', '01', '特殊建设工程消防验收', { ...bO, basis: '《中华人民共和国消防法》第十三条', days: [15, 10], pop: 600, mats: ['sgxk', '工程竣工验收报告', '涉及消防的建设工程竣工图纸'] });
add('XH-JSGLW', 'E', '10', '建设工程消防验收备案', { ...bO, basis: '《中华人民共和国消防法》第十三条', days: [5, 1], pop: 900, mats: ['sgxk', '工程竣工验收报告', '涉及消防的建设工程竣工图纸'] });
add('XH-JSGLW', 'E', '01', '排水许可', { ...bO, kind: 'new', base: '排水许可', basis: '《城镇排水与污水处理条例》第二十一条', days: [20, 10], produces: '城镇污水排入排水管网许可证', pop: 1000, mats: ['排水户内部排水管网、专用检测井、污水排放口位置和口径的图纸及说明', '排水水质、水量检测报告?', '预处理设施说明?需建设预处理设施的'] });
add('XH-JSGLW', 'E', '01', '排水许可（变更）', { ...bO, kind: 'chg', base: '排水许可', basis: '《城镇污水排入排水管网许可管理办法》第十五条', days: [20, 5], produces: '城镇污水排入排水管网许可证', pop: 300, mats: ['变更事项说明'] });
add('XH-JSGLW', 'E', '01', '排水许可（延续）', { ...bO, kind: 'renew', base: '排水许可', basis: '《城镇污水排入排水管网许可管理办法》第十六条', days: [20, 10], produces: '城镇污水排入排水管网许可证', pop: 250, mats: ['排水水质、水量检测报告'] });
add('XH-JSGLW', 'E', '10', '交通影响评价审查', { ...bO, basis: '《上海市建设项目交通影响评价管理规定》第三条', days: [20, 10], pop: 500, form: projForm, mats: ['建设项目交通影响评价报告', '建设工程设计方案', '交通组织方案图'], cond: '建设项目规模或指标达到本市交通影响评价启动阈值的，应当在设计方案形成时同步开展交通影响评价。' });
vary('XH-JSGLW', 'E', '01', '道路货物运输经营许可', ['新办', '变更', '注销'], { basis: '《中华人民共和国道路运输条例》第二十四条', days: [20, 10], produces: '道路运输经营许可证', pop: 300, online: 4, mats: ['拟投入运输车辆的承诺书', '聘用或拟聘用驾驶员的从业资格证', '安全生产管理制度文本'] });
add('XH-JSGLW', 'E', '01', '占用、挖掘城市道路许可', { ...bO, basis: '《城市道路管理条例》第三十条', days: [20, 5], pop: 800, mats: ['道路挖掘施工方案', '交通组织方案', '施工位置平面图'] });
add('XH-JSGLW', 'E', '01', '依附于城市道路建设各种管线、杆线等设施审批', { ...bO, basis: '《城市道路管理条例》第二十九条', days: [20, 10], pop: 150, mats: ['管线设计图纸', '城市道路管理部门所需技术资料'] });
add('XH-JSGLW', 'E', '01', '拆除、改动城镇排水与污水处理设施审批', { ...bO, basis: '《城镇排水与污水处理条例》第四十三条', days: [20, 10], pop: 100, mats: ['拆除、改动方案', '临时排水措施方案'] });
add('XH-JSGLW', 'E', '01', '改动燃气设施审批', { ...bO, basis: '《城镇燃气管理条例》第三十八条', days: [20, 10], pop: 100, mats: ['改动燃气设施方案', '燃气经营企业意见', '安全保护措施方案'] });
add('XH-JSGLW', 'E', '01', '河道管理范围内建设项目工程建设方案审批', { ...bO, basis: '《中华人民共和国水法》第三十八条', days: [20, 10], pop: 60, mats: ['工程建设方案', '防洪影响评价报告'] });
add('XH-JSGLW', 'E', '01', '取水许可', { ...bO, basis: '《取水许可和水资源费征收管理条例》第二条', days: [45, 20], pop: 40, mats: ['取水许可申请书', '建设项目水资源论证报告'] });
add('XH-JSGLW', 'E', '10', '公共停车场（库）经营备案', { ...bO, online: 4, basis: '《上海市停车场（库）管理办法》第十六条', days: [5, 1], pop: 350, mats: ['停车场（库）平面图', '场地使用权证明'] });
add('XH-JSGLW', 'E', '10', '建设工程招标文件备案', { ...bO, online: 4, basis: '《房屋建筑和市政基础设施工程施工招标投标管理办法》第十九条', days: [5, 3], pop: 500, mats: ['招标文件', '招标公告'] });
add('XH-JSGLW', 'E', '10', '建设工程招标投标情况书面报告备案', { ...bO, online: 4, basis: '《中华人民共和国招标投标法》第四十七条', days: [5, 3], pop: 500, mats: ['招标投标情况书面报告', '评标委员会评标报告'] });
add('XH-JSGLW', 'E', '10', '建设工程施工合同备案', { ...bO, online: 4, basis: '《建筑工程施工发包与承包计价管理办法》第十三条', days: [5, 1], pop: 600, mats: ['建设工程施工合同', '中标通知书'] });
add('XH-JSGLW', 'E', '10', '施工图设计文件审查备案', { ...bO, online: 4, basis: '《建设工程质量管理条例》第十一条', days: [5, 1], pop: 500, mats: ['施工图审查合格书', '施工图设计文件'] });
add('XH-JSGLW', 'E', '10', '建筑起重机械产权备案', { ...bO, online: 4, basis: '《建筑起重机械安全监督管理规定》第五条', days: [5, 1], pop: 300, mats: ['产品合格证', '制造许可证', '制造监督检验证明'] });
add('XH-JSGLW', 'E', '10', '建筑起重机械使用登记', { ...bO, online: 4, basis: '《建筑起重机械安全监督管理规定》第十七条', days: [5, 1], produces: '建筑起重机械使用登记证明', pop: 400, mats: ['建筑起重机械产权备案证明', '安装验收资料', '检验检测报告'] });
add('XH-JSGLW', 'E', '10', '房屋建筑和市政基础设施工程竣工联合验收', { ...bO, basis: '《建设工程质量管理条例》第十六条', days: [15, 10], pop: 500, mats: ['sgxk', '竣工联合验收申请表', '工程竣工验收报告', '竣工图'] });
add('XH-JSGLW', 'E', '10', '建设工程竣工档案验收', { ...bO, basis: '《城市建设档案管理规定》第八条', days: [10, 5], pop: 400, mats: ['建设工程竣工档案', '竣工图'] });
add('XH-JSGLW', 'E', '10', '机动车维修经营备案', { basis: '《中华人民共和国道路运输条例》第四十条', days: [5, 0], pop: 200, online: 4, mats: ['维修经营者备案表', '经营场地、停车场面积材料和土地使用权及产权证明', '技术人员从业资格证明'] });
add('XH-JSGLW', 'P', '20', '建设工程质量投诉', { where: W.P, online: 4, basis: '《建设工程质量管理条例》第五十三条', days: [30, 20], pop: 800, noApp: true, mats: ['投诉书（含工程地址、质量问题描述）', '现场照片等证据材料'] });

// 区卫生健康委 XH-WJW --------------------------------------------------------
const YLJG = '《医疗机构管理条例》';
add('XH-WJW', 'E', '01', '医疗机构设置审批', { basis: YLJG + '第九条', days: [30, 20], pop: 300, online: 3, mats: ['设置申请书', '设置可行性研究报告', '选址报告和建筑设计平面图', 'cszm?场所为自有房屋的'] });
add('XH-WJW', 'E', '01', '医疗机构执业登记', { kind: 'new', basis: YLJG + '第十五条', days: [45, 20], produces: '医疗机构执业许可证', pop: 700, online: 3, site: true, mats: ['医疗机构设置批准书?需设置审批的', '医疗机构用房产权证明或使用证明', '医疗机构建筑设计平面图', 'ysz', 'hsz', 'fszl?开展放射诊疗的'], form: [['institution', '医疗机构名称', 'text', 1], ['category', '类别', 'choice', 1, ['综合医院', '专科医院', '门诊部', '诊所', '社区卫生服务中心']], ['address', '地址', 'address', 1], ['departments', '诊疗科目', 'text', 1], ['beds', '床位（张）', 'number', 0]] });
add('XH-WJW', 'E', '01', '医疗机构变更登记', { kind: 'chg', base: '医疗机构执业登记', basis: YLJG + '第二十条', days: [20, 10], produces: '医疗机构执业许可证', pop: 500, online: 3, mats: ['变更事项说明', 'ysz?增加诊疗科目的'] });
add('XH-WJW', 'E', '01', '医疗机构校验', { kind: 'renew', base: '医疗机构执业登记', basis: YLJG + '第二十二条', days: [30, 20], produces: '医疗机构执业许可证', pop: 600, online: 3, mats: ['校验期内工作总结', '医疗质量安全管理情况'] });
add('XH-WJW', 'E', '01', '医疗机构注销登记', { kind: 'end', base: '医疗机构执业登记', basis: YLJG + '第二十一条', days: [20, 5], pop: 100, online: 3, mats: ['病历等医疗文书处置方案'] });
add('XH-WJW', 'E', '10', '诊所备案', { basis: '《国家卫生健康委关于印发诊所备案管理暂行办法的通知》（国卫医政发〔2022〕33号）', days: [1, 0], pop: 400, online: 3, mats: ['诊所备案信息表', 'ysz', 'hsz?', '诊所用房产权证明或使用证明'] });
add('XH-WJW', 'E', '10', '中医诊所备案', { basis: '《中华人民共和国中医药法》第十四条', days: [1, 0], pop: 200, online: 3, mats: ['中医诊所备案信息表', 'ysz', '诊所用房产权证明或使用证明'] });
vary('XH-WJW', 'E', '01', '公共场所卫生许可', ['新办', '变更', '延续', '注销', '补证'], { basis: '《公共场所卫生管理条例》第八条', days: [20, 5], produces: '公共场所卫生许可证', pop: 3800, online: 4, mats: ['公共场所地址方位示意图、平面图和卫生设施平面布局图', '公共场所卫生检测或评价报告', '公共场所卫生管理制度'], form: [['premises', '经营地址', 'address', 1], ['items', '许可项目', 'choice', 1, ['住宿场所', '沐浴场所', '美容美发场所', '游泳场所', '影剧院等文化娱乐场所']], ['area', '营业面积（平方米）', 'number', 1]], faq: [['告知承诺方式可以当场领证吗？', '可以。符合告知承诺条件的，申请人签署承诺书后当场作出许可决定，卫生健康监督机构在规定期限内进行核查。']] });
vary('XH-WJW', 'E', '01', '放射诊疗许可', ['新办', '变更', '校验', '注销'], { basis: '《放射诊疗管理规定》第十一条', days: [20, 10], produces: '放射诊疗许可证', pop: 200, online: 3, baseLic: 'yljg', mats: ['放射诊疗设备清单', '放射防护设施竣工验收合格证明', '放射工作人员资格证明', '放射事件应急处理预案'] });
add('XH-WJW', 'E', '01', '医疗机构放射性职业病危害建设项目预评价报告审核', { basis: '《中华人民共和国职业病防治法》第八十七条', days: [20, 10], pop: 100, online: 3, baseLic: 'yljg', mats: ['放射性职业病危害预评价报告', '建设项目概况'] });
add('XH-WJW', 'E', '01', '医疗机构放射性职业病危害建设项目竣工验收', { basis: '《中华人民共和国职业病防治法》第八十七条', days: [20, 10], pop: 90, online: 3, baseLic: 'yljg', mats: ['放射防护控制效果评价报告', '放射防护设施检测报告'] });
add('XH-WJW', 'E', '01', '母婴保健技术服务执业许可', { basis: '《中华人民共和国母婴保健法》第三十二条', days: [20, 10], pop: 60, online: 3, baseLic: 'yljg', mats: ['母婴保健技术服务人员资格证明', '开展项目的设备设施清单', 'ysz'] });
add('XH-WJW', 'E', '01', '供水单位卫生许可', { basis: '《中华人民共和国传染病防治法》第二十九条', days: [20, 10], pop: 120, online: 3, mats: ['供水设施平面图', '水质检测报告', '从业人员健康证明', '卫生管理制度'] });
add('XH-WJW', 'E', '01', '医疗机构麻醉药品、第一类精神药品购用印鉴卡核发', { basis: '《麻醉药品和精神药品管理条例》第三十六条', days: [40, 20], pop: 80, online: 3, baseLic: 'yljg', mats: ['麻醉药品、第一类精神药品购用印鉴卡申请表', '具有麻醉药品处方资格的执业医师名单', 'ysz'] });
add('XH-WJW', 'E', '01', '外国医师来华短期行医许可', { basis: '《外国医师来华短期行医暂行管理办法》第三条', days: [20, 10], pop: 40, online: 3, baseLic: 'yljg', mats: ['外国医师学位证书及行医执照', '邀请或聘用合同', '外国医师健康证明'] });
add('XH-WJW', 'E', '10', '托育机构备案', { basis: '《托育机构登记和备案办法（试行）》第八条', days: [15, 5], pop: 300, online: 4, mats: ['托育机构备案书', '场地证明', 'xfhg?', '工作人员健康合格证明'] });
add('XH-WJW', 'E', '10', '养老机构内设医疗机构备案', { basis: '《中华人民共和国基本医疗卫生与健康促进法》第三十八条', days: [5, 1], pop: 100, online: 4, mats: ['内设医疗机构备案表', 'ysz', 'hsz'] });
add('XH-WJW', 'E', '10', '职业健康检查机构备案', { basis: '《中华人民共和国职业病防治法》第三十五条', days: [5, 3], pop: 30, online: 4, baseLic: 'yljg', mats: ['职业健康检查机构备案表', '职业健康检查人员资质证明'] });
add('XH-WJW', 'E', '10', '消毒服务机构备案', { basis: '《消毒管理办法》第二十二条', days: [5, 1], pop: 60, online: 4, mats: ['消毒服务机构备案表', '消毒技术人员培训证明'] });
const wjP = { where: W.P, online: 3 };
add('XH-WJW', 'P', '07', '出生医学证明首次签发', { where: W.jdzx, online: 3, basis: '《中华人民共和国母婴保健法》第二十三条', days: [5, 0], produces: '出生医学证明', pop: 4900, mats: ['出生医学证明首次签发登记表', '母亲居民身份证', '父亲居民身份证?'], cond: '在本区助产机构出生的新生儿，由父母或监护人持有效身份证件申请。' });
add('XH-WJW', 'P', '07', '出生医学证明补发', { where: '徐汇区妇幼保健所', kind: 'reissue', online: 3, basis: '《中华人民共和国母婴保健法》第二十三条', days: [20, 10], produces: '出生医学证明', pop: 300, mats: ['出生医学证明补发申请表', '新生儿住院病历或出生记录', 'hkb?已落户的'] });
add('XH-WJW', 'P', '07', '出生医学证明换发', { where: '徐汇区妇幼保健所', kind: 'chg', online: 3, basis: '《中华人民共和国母婴保健法》第二十三条', days: [20, 5], produces: '出生医学证明', pop: 500, mats: ['csyx', '需更正信息的证明材料'] });
add('XH-WJW', 'P', '01', '医师执业注册', { ...wjP, basis: '《中华人民共和国医师法》第十三条', days: [20, 10], produces: '医师执业证书', pop: 900, mats: ['医师资格证书', '拟执业机构聘用证明', '近6个月内健康体检证明'] });
add('XH-WJW', 'P', '01', '医师变更执业注册', { ...wjP, kind: 'chg', basis: '《中华人民共和国医师法》第十五条', days: [20, 5], produces: '医师执业证书', pop: 700, mats: ['ysz', '拟执业机构聘用证明'] });
add('XH-WJW', 'P', '01', '护士执业注册', { ...wjP, basis: '《护士条例》第七条', days: [20, 10], produces: '护士执业证书', pop: 800, mats: ['护士执业资格考试成绩合格证明', '学历证书', '近6个月内健康体检证明'] });
add('XH-WJW', 'P', '01', '护士延续注册', { ...wjP, kind: 'renew', basis: '《护士条例》第十条', days: [20, 5], produces: '护士执业证书', pop: 600, mats: ['hsz', '近6个月内健康体检证明'] });
add('XH-WJW', 'P', '01', '护士变更注册', { ...wjP, kind: 'chg', basis: '《护士条例》第九条', days: [7, 3], produces: '护士执业证书', pop: 400, mats: ['hsz', '拟执业机构聘用证明'] });
add('XH-WJW', 'P', '07', '独生子女父母光荣证申领', { where: W.sq, online: 3, basis: '《中华人民共和国人口与计划生育法》第二十七条', days: [20, 10], produces: '独生子女父母光荣证', pop: 300, mats: ['jhz', 'csyx', 'hkb'] });
add('XH-WJW', 'P', '05', '独生子女父母年老一次性计划生育奖励', { where: W.sq, online: 3, basis: '《上海市人口与计划生育条例》第四十四条', days: [30, 15], pop: 2200, mats: ['独生子女父母光荣证或其他独生子女证明', 'sbk', 'hkb'] });
add('XH-WJW', 'P', '05', '计划生育家庭特别扶助金申领', { where: W.sq, online: 3, basis: '《中华人民共和国人口与计划生育法》第三十一条', days: [30, 20], pop: 600, mats: ['hkb', '子女死亡或伤残证明', 'cjrz?子女伤残的'] });
add('XH-WJW', 'P', '20', '生育登记', { ...wjP, online: 4, basis: '《上海市人口与计划生育条例》第二十四条', days: [1, 0], pop: 4100, noApp: true, mats: ['jhz', '生育登记信息（网上填报）'] });
add('XH-WJW', 'P', '20', '预防接种证补办', { where: '居住地所在社区卫生服务中心预防接种门诊', online: 2, basis: '《中华人民共和国疫苗管理法》第四十七条', days: [5, 0], pop: 1500, mats: ['hkb', '原预防接种记录?'] });
add('XH-WJW', 'P', '20', '从业人员健康检查（健康证明）', { where: '徐汇区疾病预防控制中心或区内指定体检机构', online: 2, basis: '《中华人民共和国食品安全法》第四十五条', days: [5, 3], fee: '按本市健康检查收费标准收取', feeBasis: '上海市医疗服务价格相关规定', pop: 3400, mats: ['体检表（现场填写）'] });

// 区生态环境局 XH-STHJJ ------------------------------------------------------
vary('XH-STHJJ', 'E', '01', '排污许可', ['新办', '变更', '延续', '注销'], { basis: '《排污许可管理条例》第六条', days: [30, 15], produces: '排污许可证', pop: 400, online: 4, mats: ['排污许可证申请表', '自行监测方案', '由排污单位法定代表人或者主要负责人签字或者盖章的承诺书', '建设项目环境影响评价文件审批文号?依法需要的'] });
add('XH-STHJJ', 'E', '10', '固定污染源排污登记', { basis: '《排污许可管理条例》第二十四条', days: [1, 0], pop: 600, online: 4, noApp: true, mats: ['固定污染源排污登记表（网上填报）'] });
add('XH-STHJJ', 'E', '01', '建设项目环境影响报告书审批', { basis: '《中华人民共和国环境影响评价法》第二十二条', days: [60, 20], pop: 80, online: 3, mats: ['建设项目环境影响报告书', '公众参与说明', '建设项目环境影响评价报批申请书'] });
add('XH-STHJJ', 'E', '01', '建设项目环境影响报告表审批', { basis: '《中华人民共和国环境影响评价法》第二十二条', days: [30, 10], pop: 400, online: 3, mats: ['建设项目环境影响报告表', '建设项目环境影响评价报批申请书'] });
add('XH-STHJJ', 'E', '10', '建设项目环境影响登记表备案', { basis: '《中华人民共和国环境影响评价法》第二十二条', days: [1, 0], pop: 700, online: 4, noApp: true, mats: ['建设项目环境影响登记表（网上填报）'] });
add('XH-STHJJ', 'E', '01', '建设项目环境影响评价文件重新审核', { basis: '《中华人民共和国环境影响评价法》第二十四条', days: [10, 5], pop: 40, online: 3, mats: ['重新审核申请', '原环境影响评价审批文件', '项目变化情况说明'] });
vary('XH-STHJJ', 'E', '01', '辐射安全许可', ['新办', '延续', '注销'], { basis: '《放射性同位素与射线装置安全和防护条例》第五条', days: [20, 10], produces: '辐射安全许可证', pop: 150, online: 3, mats: ['辐射安全许可证申请表', '环境影响评价文件批复', '辐射安全管理制度和辐射事故应急措施', '辐射工作人员培训合格证明'] });
add('XH-STHJJ', 'E', '01', '夜间建筑施工作业审批', { basis: '《中华人民共和国噪声污染防治法》第四十三条', days: [5, 2], pop: 1600, online: 4, mats: ['夜间施工申请表', 'sgxk', '夜间施工噪声污染防治措施及公告'], cond: '因生产工艺要求或者其他特殊需要必须在夜间连续施工作业的建设工程。' });
add('XH-STHJJ', 'E', '10', '突发环境事件应急预案备案', { basis: '《企业事业单位突发环境事件应急预案备案管理办法（试行）》第四条', days: [5, 1], pop: 200, online: 4, mats: ['突发环境事件应急预案', '环境风险评估报告', '环境应急资源调查报告'] });
add('XH-STHJJ', 'E', '10', '危险废物管理计划备案', { basis: '《中华人民共和国固体废物污染环境防治法》第七十八条', days: [5, 1], pop: 500, online: 4, noApp: true, mats: ['危险废物管理计划（网上填报）'] });
add('XH-STHJJ', 'P', '20', '生态环境问题投诉举报', { where: W.P, online: 4, basis: '《中华人民共和国环境保护法》第五十七条', days: [60, 15], pop: 1400, noApp: true, mats: ['举报内容（污染地点、时间、现象）', '照片、视频等证据?'], rl: 1 });
add('XH-STHJJ', 'P', '08', '生态环境违法行为举报奖励', { where: W.P, online: 3, basis: '《中华人民共和国环境保护法》第十一条', days: [30, 20], pop: 100, mats: ['举报奖励申请表', '银行账户信息'] });

// 区教育局 XH-JYJ ------------------------------------------------------------
const MBJY = '《中华人民共和国民办教育促进法》';
add('XH-JYJ', 'E', '01', '民办学校设立', { kind: 'new', founding: true, basis: MBJY + '第十二条', days: [60, 30], produces: '民办学校办学许可证', pop: 200, online: 3, site: true, mats: ['举办者的姓名、住址或者名称、地址及资格证明', '学校章程和首届理事会、董事会或其他决策机构组成人员名单', '办学场所不动产权证书或租赁证明', 'jszg', 'xfhg?办学场所属于公众聚集场所的', '资产来源、资金数额及有效证明文件'] });
add('XH-JYJ', 'E', '01', '民办幼儿园设立', { kind: 'new', founding: true, basis: MBJY + '第十二条', days: [60, 30], produces: '民办学校办学许可证', pop: 150, online: 3, site: true, mats: ['举办者资格证明', '园舍不动产权证书或租赁证明', 'jszg', 'xfhg', '卫生保健合格证明'] });
add('XH-JYJ', 'E', '01', '民办学校变更', { kind: 'chg', base: '民办学校设立', basis: MBJY + '第五十四条', days: [60, 20], produces: '民办学校办学许可证', pop: 120, online: 3, baseLic: 'mfq', mats: ['学校决策机构同意变更的决议', '变更事项证明材料'] });
add('XH-JYJ', 'E', '01', '民办学校分立、合并审批', { basis: MBJY + '第五十三条', days: [90, 60], pop: 20, online: 3, baseLic: 'mfq', mats: ['分立、合并方案', '财务清算报告', '学校决策机构决议'] });
add('XH-JYJ', 'E', '01', '民办学校终止', { kind: 'end', base: '民办学校设立', basis: MBJY + '第五十六条', days: [60, 30], pop: 30, online: 3, baseLic: 'mfq', mats: ['学校决策机构同意终止的决议', '学生安置方案', '财务清算报告'] });
add('XH-JYJ', 'E', '01', '民办学校办学许可证延续', { kind: 'renew', base: '民办学校设立', basis: MBJY + '第十八条', days: [30, 20], produces: '民办学校办学许可证', pop: 100, online: 3, baseLic: 'mfq', mats: ['办学情况报告', '年度检查结论'] });
add('XH-JYJ', 'E', '01', '校车使用许可', { basis: '《校车安全管理条例》第十四条', days: [20, 10], pop: 30, online: 3, baseLic: 'mfq', mats: ['校车使用许可申请表', '机动车行驶证', '校车驾驶人资格证明', '校车运行方案'] });
const jyP = { where: W.P, online: 4 };
add('XH-JYJ', 'P', '07', '教师资格认定', { ...jyP, pform: true, online: 3, basis: '《中华人民共和国教师法》第十三条', days: [30, 20], produces: '教师资格证书', pop: 3800, mats: ['pth', '学历证书', '教师资格考试合格证明', '体检合格证明', 'jzz?以居住证在本区申请的', 'hkb?以户籍在本区申请的'] });
add('XH-JYJ', 'P', '07', '教师资格证书补发换发', { ...jyP, online: 3, kind: 'reissue', basis: '《教师资格条例实施办法》第二十三条', days: [30, 20], produces: '教师资格证书', pop: 300, mats: ['遗失声明或损毁的证书原件', '近期一寸免冠照片'] });
add('XH-JYJ', 'P', '20', '适龄儿童小学入学登记', { ...jyP, basis: '《中华人民共和国义务教育法》第十二条', days: [5, 0], pop: 7200, noApp: true, mats: ['hkb', 'bdc?以居住房屋产权登记的', 'csyx?'], cond: '年满6周岁的本区户籍或符合条件的随迁子女，由父母或法定监护人办理。' });
add('XH-JYJ', 'P', '20', '初中入学信息登记', { ...jyP, basis: '《中华人民共和国义务教育法》第十二条', days: [5, 0], pop: 5600, noApp: true, mats: ['hkb', '小学学籍信息'] });
add('XH-JYJ', 'P', '07', '随迁子女义务教育入学资格审核', { ...jyP, online: 3, basis: '《中华人民共和国义务教育法》第十二条', days: [20, 10], pop: 4300, mats: ['jzz', 'hkb', 'zlba?居住在租赁房屋的', 'bdc?居住在自有房屋的'] });
add('XH-JYJ', 'P', '20', '幼儿园入园登记', { ...jyP, basis: '《幼儿园工作规程》第十一条', days: [5, 0], pop: 4800, noApp: true, mats: ['hkb', 'csyx', '预防接种证'] });
add('XH-JYJ', 'P', '20', '中小学生转学', { ...jyP, online: 3, basis: '《中小学生学籍管理办法》第十二条', days: [10, 5], pop: 1300, mats: ['转学申请表', 'hkb', '转入学校接收证明'] });
add('XH-JYJ', 'P', '05', '家庭经济困难学生资助申请', { ...jyP, online: 3, basis: '《中华人民共和国教育法》第三十八条', days: [30, 20], pop: 900, mats: ['家庭经济困难学生认定申请表', '低保、特困等证明材料?'] });
add('XH-JYJ', 'P', '20', '普通话水平测试报名', { ...jyP, basis: '《中华人民共和国国家通用语言文字法》第十九条', days: [30, 20], produces: '普通话水平测试等级证书', fee: '按本市普通话水平测试收费标准收取', feeBasis: '上海市物价部门核定的普通话水平测试收费标准', pop: 2100, mats: ['近期免冠证件照（电子版）'] });

// 区文化旅游局 XH-WHLYJ ------------------------------------------------------
vary('XH-WHLYJ', 'E', '01', '娱乐场所经营许可', ['新办', '变更', '延续', '注销'], { basis: '《娱乐场所管理条例》第九条', days: [20, 10], produces: '娱乐经营许可证', pop: 500, online: 3, site: true, mats: ['wfz', 'xfhg', '娱乐场所平面示意图', 'cszm?场所为自有房屋的', '场所租赁合同复印件?场所为租赁房屋的'], form: [['premises', '经营场所', 'address', 1], ['area', '使用面积（平方米）', 'number', 1], ['category', '经营类别', 'choice', 1, ['歌舞娱乐场所', '游艺娱乐场所']]] });
vary('XH-WHLYJ', 'E', '01', '文艺表演团体营业性演出许可', ['新办', '变更', '注销'], { basis: '《营业性演出管理条例》第六条', days: [20, 5], produces: '营业性演出许可证', pop: 300, online: 4, mats: ['演员的艺术表演能力证明', '与业务相适应的演出器材设备书面声明'] });
add('XH-WHLYJ', 'E', '01', '营业性演出活动审批', { basis: '《营业性演出管理条例》第十三条', days: [3, 2], pop: 900, online: 4, mats: ['演出节目内容材料', '演员名单', '演出场所合同或协议', 'xfhg?在非演出场所举办的'] });
add('XH-WHLYJ', 'E', '01', '营业性演出活动变更审批', { kind: 'chg', basis: '《营业性演出管理条例》第十五条', days: [3, 1], pop: 300, online: 4, mats: ['原批准文件', '变更事项说明'] });
add('XH-WHLYJ', 'E', '10', '演出场所经营单位备案', { basis: '《营业性演出管理条例》第七条', days: [5, 1], pop: 80, online: 4, mats: ['xfhg', '演出场所平面图'] });
vary('XH-WHLYJ', 'E', '01', '网络文化经营许可', ['新办', '变更', '注销'], { basis: '《互联网文化管理暂行规定》第八条', days: [20, 10], produces: '网络文化经营许可证', pop: 500, online: 4, mats: ['业务发展报告', '网站域名登记证明', '内容审核人员资质证明'] });
vary('XH-WHLYJ', 'E', '01', '出版物零售经营许可', ['新办', '变更', '注销'], { basis: '《出版管理条例》第三十五条', days: [20, 10], produces: '出版物经营许可证', pop: 300, online: 4, mats: ['经营场所使用证明', '经营场所平面图'] });
vary('XH-WHLYJ', 'E', '01', '印刷经营许可', ['新办', '变更', '注销'], { basis: '《印刷业管理条例》第九条', days: [20, 10], produces: '印刷经营许可证', pop: 200, online: 4, mats: ['印刷设备清单', '经营场所使用证明', '印刷业管理制度'] });
add('XH-WHLYJ', 'E', '10', '艺术品经营单位备案', { basis: '《艺术品经营管理办法》第五条', days: [15, 1], produces: '艺术品经营单位备案证明', pop: 250, online: 4, mats: ['艺术品经营单位备案表', '经营场所使用证明'] });
vary('XH-WHLYJ', 'E', '01', '互联网上网服务营业场所经营许可', ['新办', '变更'], { basis: '《互联网上网服务营业场所管理条例》第七条', days: [20, 10], pop: 100, online: 3, site: true, mats: ['xfhg', '营业场所产权证明或租赁合同', '计算机台数及网络安全技术措施说明'] });
add('XH-WHLYJ', 'E', '01', '电影放映单位设立审批', { basis: '《中华人民共和国电影产业促进法》第二十四条', days: [20, 10], pop: 60, online: 3, mats: ['xfhg', '放映场所平面图', '放映设备清单'] });
add('XH-WHLYJ', 'E', '01', '在区级文物保护单位保护范围内进行其他建设工程或者爆破、钻探、挖掘等作业审批', { basis: '《中华人民共和国文物保护法》第十七条', days: [20, 10], pop: 40, online: 3, mats: ['工程设计方案', '文物影响评估报告'] });
add('XH-WHLYJ', 'E', '01', '区级文物保护单位修缮审批', { basis: '《中华人民共和国文物保护法》第二十一条', days: [20, 10], pop: 50, online: 3, mats: ['文物修缮设计方案', '文物现状勘察报告'] });
add('XH-WHLYJ', 'E', '10', '旅行社分社设立备案', { basis: '《旅行社条例》第十条', days: [3, 1], pop: 150, online: 4, mats: ['设立社的旅行社业务经营许可证', '分社营业执照', '分社负责人履历'] });
add('XH-WHLYJ', 'E', '10', '旅行社服务网点备案', { basis: '《旅行社条例实施细则》第二十三条', days: [3, 1], pop: 120, online: 4, mats: ['设立社的旅行社业务经营许可证', '服务网点营业执照'] });
add('XH-WHLYJ', 'E', '01', '设置卫星电视广播地面接收设施审批', { basis: '《卫星电视广播地面接收设施管理规定》第七条', days: [20, 10], pop: 40, online: 3, mats: ['设置卫星地面接收设施申请表', '接收设施安装方案'] });
add('XH-WHLYJ', 'P', '10', '个体演员备案', { where: W.P, online: 4, basis: '《营业性演出管理条例》第九条', days: [5, 1], pop: 150, mats: ['艺术表演能力证明', '近期免冠照片'] });

// 区应急管理局 XH-YJGLJ ------------------------------------------------------
vary('XH-YJGLJ', 'E', '01', '危险化学品经营许可', ['新办', '变更', '延续', '注销'], { basis: '《危险化学品安全管理条例》第三十三条', days: [30, 15], produces: '危险化学品经营许可证', pop: 200, online: 3, site: true, mats: ['经营场所产权证明或租赁证明', '主要负责人、安全管理人员安全合格证明', '安全生产规章制度和岗位操作规程', 'yjya?'] });
add('XH-YJGLJ', 'E', '10', '第三类非药品类易制毒化学品经营备案', { basis: '《易制毒化学品管理条例》第十四条', days: [5, 3], produces: '非药品类易制毒化学品经营备案证明', pop: 60, online: 4, mats: ['经营备案申请表', '经营品种、数量、主要流向说明'] });
add('XH-YJGLJ', 'E', '10', '生产安全事故应急预案备案', { basis: '《生产安全事故应急条例》第七条', days: [5, 1], produces: '生产安全事故应急预案备案登记表', pop: 300, online: 4, mats: ['生产安全事故应急预案', '应急预案评审意见', '风险评估结果和应急资源调查清单'] });
add('XH-YJGLJ', 'E', '01', '危险化学品建设项目安全条件审查', { basis: '《危险化学品安全管理条例》第十二条', days: [45, 30], pop: 20, online: 3, mats: ['建设项目安全评价报告', '建设项目批准文件'] });
add('XH-YJGLJ', 'P', '08', '安全生产违法行为举报奖励', { where: W.P, online: 3, basis: '《中华人民共和国安全生产法》第七十六条', days: [30, 20], pop: 80, mats: ['举报奖励申请表', '银行账户信息'] });
add('XH-YJGLJ', 'P', '05', '自然灾害受灾人员救助', { where: W.sq, online: 3, basis: '《社会救助暂行办法》第二十条', days: [20, 10], pop: 120, mats: ['受灾情况说明', 'hkb'] });

// 徐汇消防救援支队 XH-XFJ ----------------------------------------------------
add('XH-XFJ', 'E', '01', '公众聚集场所投入使用、营业前消防安全检查', { basis: '《中华人民共和国消防法》第十五条', days: [10, 5], produces: '公众聚集场所投入使用、营业前消防安全检查合格证', pop: 2500, online: 3, site: true, mats: ['消防安全检查申报表', '场所平面布置图、场所消防设施平面图', '消防安全制度、灭火和应急疏散预案', 'cszm?场所为自有房屋的'], cond: '公众聚集场所在投入使用、营业前，建设单位或使用单位应当向场所所在地消防救援机构申请消防安全检查；可选择告知承诺方式办理。' });
add('XH-XFJ', 'E', '10', '消防安全重点单位申报备案', { basis: '《机关、团体、企业、事业单位消防安全管理规定》第十三条', days: [5, 3], pop: 300, online: 4, mats: ['消防安全重点单位申报表', '消防安全责任人、管理人信息'] });
add('XH-XFJ', 'E', '20', '消防安全培训预约', { basis: '《中华人民共和国消防法》第六条', days: [5, 3], pop: 600, online: 4, noApp: true, mats: ['培训预约信息（网上填报）'] });
add('XH-XFJ', 'P', '07', '火灾事故认定', { where: '徐汇消防救援支队火灾调查窗口', online: 2, basis: '《中华人民共和国消防法》第五十一条', days: [30, 30], pop: 150, mats: ['当事人情况说明', '火灾损失申报材料'] });
add('XH-XFJ', 'P', '07', '火灾事故认定复核', { where: '徐汇消防救援支队火灾调查窗口', online: 1, basis: '《火灾事故调查规定》第三十五条', days: [30, 30], pop: 20, mats: ['复核申请书', '火灾事故认定书'] });
add('XH-XFJ', 'P', '20', '消防安全违法行为举报投诉', { where: W.P, online: 4, basis: '《中华人民共和国消防法》第五条', days: [3, 3], pop: 900, noApp: true, mats: ['举报内容（地点、隐患描述）', '现场照片?'], rl: 1 });

// 区民防办 XH-RFB ------------------------------------------------------------
const RFF = '《中华人民共和国人民防空法》';
add('XH-RFB', 'E', '01', '人防工程审批', { ...bO, basis: RFF + '第二十二条', days: [20, 10], pop: 800, form: projForm, mats: ['结合民用建筑修建防空地下室设计文件', '建设工程设计方案批复文件', 'jsyd'], cond: '城市新建民用建筑，按照国家和本市有关规定修建战时可用于防空的地下室。' });
add('XH-RFB', 'E', '01', '防空地下室易地建设审批', { ...bO, basis: RFF + '第二十二条', days: [20, 10], fee: '按本市民防工程建设费标准缴纳', feeBasis: '《上海市民防工程建设和使用管理办法》', pop: 200, mats: ['易地建设申请书', '建设工程设计方案批复文件', '不宜修建防空地下室的情况说明'] });
add('XH-RFB', 'E', '01', '拆除人防工程审批', { ...bO, basis: RFF + '第二十八条', days: [20, 10], pop: 50, mats: ['拆除方案', '补建或补偿方案', '人防工程产权证明'] });
add('XH-RFB', 'E', '10', '人防工程竣工验收备案', { ...bO, basis: RFF + '第二十五条', days: [15, 5], pop: 400, mats: ['人防工程竣工验收报告', '人防工程竣工图', 'sgxk'] });
add('XH-RFB', 'E', '10', '人防工程平时使用备案', { ...bO, basis: RFF + '第二十六条', days: [5, 3], pop: 250, mats: ['人防工程平时使用备案表', '使用合同', 'xfhg?平时用作公众聚集场所的'] });
add('XH-RFB', 'E', '10', '人防工程施工图设计文件审查备案', { ...bO, basis: '《上海市民防条例》第十八条', days: [5, 3], pop: 300, mats: ['人防工程施工图设计文件', '施工图审查合格书'] });

// 区绿化市容局 XH-LRJ --------------------------------------------------------
add('XH-LRJ', 'E', '01', '绿化审批', { ...bO, basis: '《上海市绿化条例》第十二条', days: [20, 10], pop: 700, form: projForm, mats: ['建设项目绿化设计方案', '建设项目总平面图', '绿地面积计算书'], cond: '新建、改建、扩建建设项目应当按照规定比例配套建设绿地，配套绿化设计方案经审核同意后方可实施。' });
add('XH-LRJ', 'E', '10', '建设项目配套绿化竣工验收备案', { ...bO, basis: '《上海市绿化条例》第十五条', days: [10, 5], pop: 300, mats: ['配套绿化竣工图', '绿化工程竣工验收报告'] });
add('XH-LRJ', 'E', '01', '临时占用城市绿地审批', { basis: '《城市绿化条例》第二十条', days: [20, 10], pop: 200, online: 3, fee: '按本市绿地补偿标准缴纳', feeBasis: '《上海市绿化条例》', mats: ['占用绿地位置图', '绿地恢复方案', '施工方案'] });
add('XH-LRJ', 'E', '01', '砍伐、迁移城市树木审批', { basis: '《城市绿化条例》第二十四条', days: [20, 10], pop: 400, online: 3, mats: ['树木现状照片及位置图', '砍伐或迁移理由说明', '补植方案'] });
add('XH-LRJ', 'E', '01', '户外广告设施设置审批', { basis: '《上海市户外广告设施管理办法》第十七条', days: [20, 10], pop: 300, online: 3, mats: ['户外广告设施设计图和效果图', '设施载体所有权人同意设置的证明', '结构安全检测报告'] });
add('XH-LRJ', 'E', '10', '户外招牌设置备案', { basis: '《上海市市容环境卫生管理条例》第二十二条', days: [5, 1], pop: 900, online: 4, mats: ['户外招牌设计效果图', '设置位置照片'] });
add('XH-LRJ', 'E', '01', '城市建筑垃圾处置核准', { basis: '《城市建筑垃圾管理规定》第七条', days: [20, 5], pop: 700, online: 4, mats: ['建筑垃圾处置计划', '运输单位名称及运输车辆信息', '消纳场所证明'] });
add('XH-LRJ', 'E', '01', '从事城市生活垃圾经营性清扫、收集、运输服务审批', { basis: '《城市生活垃圾管理办法》第十七条', days: [20, 10], pop: 80, online: 3, mats: ['运输车辆及设备清单', '垃圾收运作业管理制度', '停车场地证明'] });
add('XH-LRJ', 'E', '01', '在城市建筑物、设施上张挂、张贴宣传品审批', { basis: '《城市市容和环境卫生管理条例》第十一条', days: [10, 3], pop: 300, online: 4, mats: ['宣传品样稿', '张挂位置示意图', '设施所有权人同意证明'] });
add('XH-LRJ', 'E', '04', '非居民生活垃圾处理费征收', { basis: '《上海市生活垃圾管理条例》第十二条', days: [5, 0], pop: 1900, online: 4, fee: '按本市非居民生活垃圾处理收费标准缴纳', feeBasis: '《上海市生活垃圾管理条例》', mats: ['生活垃圾收运处置合同', '垃圾量申报表'] });
add('XH-LRJ', 'E', '10', '餐厨废弃油脂收运申报', { basis: '《上海市餐厨废弃油脂处理管理办法》第九条', days: [5, 1], pop: 500, online: 4, mats: ['spjy', '餐厨废弃油脂产生量申报表', '收运合同'] });

// 徐汇公安分局 XH-GAFJ -------------------------------------------------------
const SFZF = '《中华人民共和国居民身份证法》';
const HKF = '《中华人民共和国户口登记条例》';
const hjO = { where: W.hj, online: 2, hours: '周一至周五 9:00-17:00（部分派出所周六上午开放）', pform: true };
add('XH-GAFJ', 'P', '07', '居民身份证首次申领', { ...hjO, noAgent: true, basis: SFZF + '第八条', days: [60, 20], produces: '居民身份证', fee: '20元', feeBasis: FEE_SFZ, pop: 2100, visits: 2, noId: true, mats: ['hkb', '监护人居民身份证?未满十六周岁的'], faq: [['可以邮寄送达吗？', '可以。申领时选择邮寄送达，制证完成后寄往指定地址，无需再次到派出所领取。']] });
add('XH-GAFJ', 'P', '07', '居民身份证换领', { ...hjO, noAgent: true, online: 3, kind: 'renew', basis: SFZF + '第十一条', days: [60, 20], produces: '居民身份证', fee: '20元', feeBasis: FEE_SFZ, pop: 6200, mats: ['hkb'] });
add('XH-GAFJ', 'P', '07', '居民身份证补领', { ...hjO, noAgent: true, online: 3, kind: 'reissue', basis: SFZF + '第十一条', days: [60, 20], produces: '居民身份证', fee: '40元', feeBasis: FEE_SFZ, pop: 3600, noId: true, mats: ['hkb'] });
add('XH-GAFJ', 'P', '07', '临时居民身份证申领', { ...hjO, noAgent: true, basis: SFZF + '第十二条', days: [3, 0], fee: '10元', feeBasis: FEE_SFZ, pop: 1800, noId: true, mats: ['hkb', '近期免冠照片（可现场采集）'] });
add('XH-GAFJ', 'P', '07', '居住证办理', {
  pform: true, where: W.jzz, online: 3, basis: '《居住证暂行条例》第二条；《上海市居住证管理办法》', days: [15, 10], produces: '上海市居住证', pop: 9500,
  mats: ['zlba?居住在租赁房屋的', 'bdc?居住在自有住房的', '劳动合同或就业证明?以合法稳定就业申领的', '在读证明?以连续就读申领的', '近期一寸免冠照片（可现场采集）'],
  cond: '离开常住户口所在地，在本市居住半年以上，并符合有合法稳定就业、合法稳定住所、连续就读条件之一的公民。',
  faq: [['不是徐汇区居民，可以在徐汇办吗？', '可以。在徐汇工作、在其他区居住的，可在徐汇区行政服务中心个人事务综合受理大厅“同城通办”窗口办理，无需回居住地。']],
});
add('XH-GAFJ', 'P', '07', '居住证签注', { where: W.jzz, online: 4, basis: '《居住证暂行条例》第十三条', days: [5, 0], pop: 6600, mats: ['jzz', 'zlba?居住在租赁房屋的'] });
add('XH-GAFJ', 'P', '07', '居住证信息变更', { where: W.jzz, online: 3, kind: 'chg', basis: '《居住证暂行条例》第十四条', days: [15, 5], produces: '上海市居住证', pop: 2300, mats: ['jzz', 'zlba?变更居住地址的'] });
add('XH-GAFJ', 'P', '07', '出生登记（申报户口）', { ...hjO, online: 3, basis: HKF + '第七条', days: [10, 0], produces: '居民户口簿', pop: 4700, mats: ['csyx', 'hkb', 'jhz?'], cond: '婴儿出生后一个月以内，由户主、亲属、抚养人等向婴儿常住地户口登记机关申报出生登记。' });
add('XH-GAFJ', 'P', '07', '户口迁移（市内迁移）', { ...hjO, basis: HKF + '第十条', days: [10, 3], produces: '居民户口簿', pop: 2600, mats: ['hkb', 'bdc?迁入本人或直系亲属产权住房的', '房屋产权人同意入户的书面意见?'] });
add('XH-GAFJ', 'P', '07', '户口迁移（外省市迁入）', { ...hjO, basis: HKF + '第十条', days: [20, 10], produces: '居民户口簿', pop: 1900, mats: ['准予迁入证明', '户口迁移证', 'hkb?迁入地已有户口簿的'] });
add('XH-GAFJ', 'P', '07', '死亡注销户口', { ...hjO, basis: HKF + '第八条', days: [1, 0], pop: 1700, mats: ['居民死亡医学证明（推断）书', 'hkb', '死者居民身份证'] });
add('XH-GAFJ', 'P', '07', '居民户口簿补领换领', { ...hjO, kind: 'reissue', basis: HKF + '第四条', days: [5, 0], produces: '居民户口簿', pop: 800, mats: ['hkb?换领的，提供原户口簿'] });
add('XH-GAFJ', 'P', '07', '分户', { ...hjO, basis: '《上海市常住户口管理规定》第二十一条', days: [10, 5], produces: '居民户口簿', pop: 500, mats: ['hkb', 'bdc', 'jhz?'] });
add('XH-GAFJ', 'P', '07', '户籍信息变更更正', { ...hjO, basis: HKF + '第十七条', days: [20, 10], produces: '居民户口簿', pop: 1100, mats: ['hkb', '变更更正项目的证明材料'] });
add('XH-GAFJ', 'P', '20', '无犯罪记录证明开具', { where: '户籍地或居住地派出所，或“一网通办”网上申请', online: 4, basis: '《公安机关办理无犯罪记录证明工作规定》第二条', days: [3, 1], produces: '无犯罪记录证明', pop: 5300, noApp: true, mats: ['jzz?在居住地申请的', '委托书及受托人身份证件?委托他人代为申请的'] });
const crjO = { where: W.crj, online: 3, visits: 2, hours: '周一至周六 9:00-17:00', noAgent: true, pform: true };
add('XH-GAFJ', 'P', '01', '往来港澳通行证申领', { ...crjO, basis: '《中国公民因私事往来香港地区或者澳门地区的暂行管理办法》第三条', days: [7, 7], produces: '往来港澳通行证', fee: '电子往来港澳通行证60元', feeBasis: '国家发展改革委、财政部有关出入境证件收费标准的规定', pop: 4900, mats: ['近期彩色证件照片（可现场采集）', 'jzz?非本市户籍以居住证申请的'] });
add('XH-GAFJ', 'P', '01', '往来台湾通行证申领', { ...crjO, basis: '《中国公民往来台湾地区管理办法》第五条', days: [7, 7], fee: '卡式往来台湾通行证60元', feeBasis: '国家发展改革委、财政部有关出入境证件收费标准的规定', pop: 1200, mats: ['近期彩色证件照片（可现场采集）'] });
add('XH-GAFJ', 'P', '01', '普通护照申领', { ...crjO, basis: '《中华人民共和国护照法》第五条', days: [15, 7], fee: '120元', feeBasis: '国家发展改革委、财政部有关出入境证件收费标准的规定', pop: 5100, mats: ['近期彩色证件照片（可现场采集）', 'jzz?非本市户籍以居住证申请的'] });
add('XH-GAFJ', 'P', '07', '养犬登记', { where: '居住地派出所，或“一网通办”网上申请', online: 3, basis: '《上海市养犬管理条例》第十四条', days: [10, 5], fee: '按《上海市养犬管理条例》规定标准缴纳', feeBasis: '《上海市养犬管理条例》', pop: 2400, mats: ['犬只免疫证明', 'bdc?居住在自有住房的', 'zlba?居住在租赁房屋的', '犬只照片'] });
add('XH-GAFJ', 'P', '07', '电动自行车登记', { where: '区内电动自行车登记点，或“一网通办”网上预约', online: 2, basis: '《上海市非机动车管理条例》第十二条', days: [1, 0], pop: 3700, mats: ['购车发票或来历证明', '车辆合格证'] });
add('XH-GAFJ', 'E', '10', '印章刻制备案', { where: W.kb, online: 4, basis: '《国务院关于第三批取消中央指定地方实施行政许可事项的决定》（国发〔2017〕7号）', days: [1, 0], pop: 8600, noApp: true, mats: ['印章样式及印模信息', 'frsfz'], faq: [['新办企业可以免费刻章吗？', '在上海市企业开办“一窗通”中申领首套印章的，可享受免费刻制服务，由刻章企业送达或在窗口领取。']] });
vary('XH-GAFJ', 'E', '01', '旅馆业特种行业许可', ['新办', '变更', '注销'], { basis: '《旅馆业治安管理办法》第四条', days: [20, 10], produces: '旅馆业特种行业许可证', pop: 250, online: 3, site: true, mats: ['xfhg', 'ggws', '旅馆房屋平面图', '治安保卫制度和措施'] });
add('XH-GAFJ', 'E', '01', '公章刻制业特种行业许可', { basis: '《印铸刻字业暂行管理规则》第三条', days: [20, 10], pop: 20, online: 1, site: true, mats: ['经营场所平面图', '公章刻制设备清单', '治安保卫制度'] });
add('XH-GAFJ', 'E', '01', '典当业特种行业许可', { basis: '《典当管理办法》第二十四条', days: [20, 10], pop: 15, online: 1, site: true, mats: ['典当经营许可证', '经营场所安全防范设施说明', '法定代表人无犯罪记录证明'] });
add('XH-GAFJ', 'E', '01', '大型群众性活动安全许可', { basis: '《大型群众性活动安全管理条例》第十一条', days: [7, 5], pop: 300, online: 3, mats: ['安全工作方案', '场所管理者同意使用的证明', 'xfhg?'] });
add('XH-GAFJ', 'E', '01', '剧毒化学品购买许可', { basis: '《危险化学品安全管理条例》第三十九条', days: [3, 2], pop: 40, online: 3, mats: ['购买剧毒化学品申请表', '剧毒化学品用途说明', '经办人居民身份证'] });
add('XH-GAFJ', 'E', '01', '互联网上网服务营业场所信息网络安全审核', { basis: '《互联网上网服务营业场所管理条例》第十一条', days: [20, 10], pop: 60, online: 3, mats: ['信息网络安全管理制度', '网络安全技术措施说明'] });
add('XH-GAFJ', 'E', '10', '易制爆危险化学品从业单位备案', { basis: '《易制爆危险化学品治安管理办法》第六条', days: [5, 3], pop: 80, online: 4, mats: ['易制爆危险化学品从业单位备案表', '治安保卫机构及人员信息'] });
add('XH-GAFJ', 'E', '10', '第二类、第三类易制毒化学品购买备案', { basis: '《易制毒化学品管理条例》第十七条', days: [1, 0], pop: 60, online: 4, mats: ['购买备案申请表', '易制毒化学品用途说明'] });
add('XH-GAFJ', 'E', '10', '自行招用保安员单位备案', { basis: '《保安服务管理条例》第十四条', days: [5, 3], pop: 120, online: 4, mats: ['自招保安员单位备案表', '保安员名单及保安员证', '保安服务管理制度'] });
add('XH-GAFJ', 'E', '10', '网络安全等级保护备案', { basis: '《中华人民共和国网络安全法》第二十一条', days: [10, 5], pop: 500, online: 3, mats: ['信息系统安全等级保护备案表', '定级报告', '专家评审意见'] });

// 区民政局 XH-MZJ ------------------------------------------------------------
const MFD = '《中华人民共和国民法典》';
const hyO = { where: W.hy, online: 2, hours: H.hy, rl: 3, noAgent: true };
add('XH-MZJ', 'P', '07', '结婚登记', { ...hyO, basis: MFD + '第一千零四十九条；《婚姻登记条例》第五条', days: [1, 0], produces: '结婚证', pop: 7800, noApp: true, mats: ['hkb?一方户籍在本市的', 'jzz?双方均非本市户籍，凭本市居住证在居住地办理的', '本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明', '双方近期半身免冠合影照片'], form: [['partner_name', '对方姓名', 'text', 1], ['partner_id', '对方身份证件号码', 'id_number', 1], ['reserve_date', '预约登记日期', 'date', 1]], cond: '男女双方完全自愿，男不早于二十二周岁、女不早于二十周岁，双方均无配偶，且没有禁止结婚的亲属关系，双方亲自到婚姻登记机关申请。' });
add('XH-MZJ', 'P', '07', '离婚登记', { ...hyO, visits: 2, faq: [['离婚登记要跑几次？', '需要双方亲自到场两次：第一次提交离婚登记申请；三十日离婚冷静期届满后三十日内，双方再次到场申请发给离婚证。']], basis: MFD + '第一千零七十六条', days: [30, 30], produces: '离婚证', pop: 1900, noApp: true, mats: ['hkb?一方户籍在本市的', 'jhz', '双方共同签署的离婚协议书', '双方近期二寸单人免冠照片'], cond: '双方自愿离婚并对子女抚养、财产及债务处理等事项协商一致；自婚姻登记机关收到申请之日起三十日离婚冷静期届满后三十日内双方亲自到场申请发证。' });
add('XH-MZJ', 'P', '07', '补领结婚证、离婚证', { ...hyO, kind: 'reissue', basis: '《婚姻登记条例》第十七条', days: [1, 0], produces: '结婚证', pop: 1100, mats: ['hkb', '近期二寸免冠照片'] });
add('XH-MZJ', 'P', '20', '婚姻登记证明', { ...hyO, online: 3, basis: '《婚姻登记档案管理办法》第十六条', days: [1, 0], produces: '婚姻登记记录证明', pop: 1600, noApp: true, mats: ['查询婚姻登记档案申请'] });
add('XH-MZJ', 'P', '07', '收养登记', { ...hyO, visits: 2, online: 1, basis: MFD + '第一千一百零五条', days: [30, 20], produces: '收养登记证', pop: 60, mats: ['hkb', '收养人婚姻状况证明', '收养人无犯罪记录证明', '被收养人出生证明或社会福利机构出具的证明'] });
add('XH-MZJ', 'P', '07', '解除收养登记', { ...hyO, online: 1, basis: MFD + '第一千一百一十六条', days: [30, 10], pop: 10, mats: ['收养登记证', '解除收养关系协议书'] });
const sqO = { where: W.sq, online: 3, publicize: true };
add('XH-MZJ', 'P', '05', '最低生活保障申请', { ...sqO, basis: '《社会救助暂行办法》第十一条', days: [30, 20], pop: 1600, mats: ['hkb', '家庭收入和财产状况申报表', '家庭经济状况核对授权书', 'cjrz?家庭成员有残疾的'] });
add('XH-MZJ', 'P', '05', '特困人员救助供养申请', { ...sqO, basis: '《社会救助暂行办法》第十四条', days: [30, 20], pop: 200, mats: ['hkb', '无劳动能力、无生活来源证明材料', 'cjrz?'] });
add('XH-MZJ', 'P', '05', '临时救助申请', { ...sqO, publicize: false, basis: '《社会救助暂行办法》第四十七条', days: [15, 5], pop: 700, mats: ['hkb?本市户籍的', 'jzz?持本市居住证的', '遭遇急难情况的相关证明'] });
add('XH-MZJ', 'P', '05', '支出型贫困家庭生活救助申请', { ...sqO, basis: '《上海市社会救助条例》第二十八条', days: [30, 20], pop: 300, mats: ['hkb', '医疗、教育等刚性支出凭证', '家庭经济状况核对授权书'] });
add('XH-MZJ', 'P', '07', '低收入困难家庭认定', { ...sqO, basis: '《上海市社会救助条例》第十一条', days: [30, 20], pop: 500, mats: ['hkb', '家庭收入和财产状况申报表', '家庭经济状况核对授权书'] });
add('XH-MZJ', 'P', '05', '老年综合津贴申请', { ...sqO, publicize: false, online: 4, basis: '《上海市老年人权益保障条例》第三十一条；《上海市老年综合津贴暂行办法》', days: [20, 5], pop: 6900, mats: ['hkb', 'sbk'], cond: '具有本市户籍、年满65周岁的老年人；津贴按月发放至本人社会保障卡。', faq: [['津贴发到哪里？', '老年综合津贴按月发放到本人社会保障卡（银行账户），可在“一网通办”查询发放记录。']] });
add('XH-MZJ', 'P', '05', '居家养老服务补贴申请', { ...sqO, publicize: false, basis: '《上海市养老服务条例》第四十九条', days: [20, 10], pop: 1500, mats: ['hkb', '老年照护统一需求评估结果', '家庭经济状况证明?申请低收入补贴的'] });
add('XH-MZJ', 'P', '20', '老年照护统一需求评估申请', { ...sqO, publicize: false, online: 4, basis: '《上海市养老服务条例》第二十一条', days: [20, 10], pop: 2900, mats: ['sbk', '病历资料?'] });
add('XH-MZJ', 'P', '05', '基本殡葬服务费用减免', { ...sqO, publicize: false, basis: '《上海市殡葬管理条例》第十七条', days: [10, 3], pop: 900, mats: ['居民死亡医学证明（推断）书', '死者户口簿或居民身份证', '经办人与死者关系证明'] });
vary('XH-MZJ', 'E', '01', '社会团体登记', ['成立', '变更', '注销'], { foundNew: true, basis: '《社会团体登记管理条例》第九条', days: [60, 20], produces: '社会团体法人登记证书', pop: 150, online: 3, baseLic: 'sttt', mats: ['业务主管单位的批准文件', '验资报告、场所使用权证明', '发起人和拟任负责人的基本情况、身份证明', '章程草案'] });
vary('XH-MZJ', 'E', '01', '民办非企业单位登记', ['成立', '变更', '注销'], { foundNew: true, basis: '《民办非企业单位登记管理暂行条例》第九条', days: [60, 20], produces: '民办非企业单位登记证书', pop: 200, online: 3, baseLic: 'mfq', mats: ['业务主管单位的批准文件', '场所使用权证明', '验资报告', '拟任负责人的基本情况、身份证明', '章程草案'] });
add('XH-MZJ', 'E', '10', '养老机构备案', { basis: '《中华人民共和国老年人权益保障法》第四十三条', days: [5, 1], produces: '养老机构备案回执', pop: 100, online: 4, mats: ['养老机构备案书', 'xfhg?', '服务场所产权证明或租赁合同', 'ggws?设置餐饮或住宿场所的'] });
add('XH-MZJ', 'E', '10', '社会组织年度报告', { basis: '《社会团体登记管理条例》第二十八条', days: [30, 20], pop: 500, online: 4, baseLic: 'sttt', mats: ['年度工作报告书', '年度财务审计报告'] });
add('XH-MZJ', 'E', '07', '慈善组织认定', { basis: '《中华人民共和国慈善法》第十条', days: [20, 10], pop: 40, online: 3, baseLic: 'mfq', mats: ['慈善组织认定申请书', '符合慈善组织条件的证明材料', '章程'] });
add('XH-MZJ', 'E', '10', '慈善组织公开募捐方案备案', { basis: '《中华人民共和国慈善法》第二十四条', days: [10, 5], pop: 40, online: 4, baseLic: 'sttt', mats: ['公开募捐方案', '公开募捐资格证书'] });
add('XH-MZJ', 'E', '01', '社会团体章程核准', { basis: '《社会团体登记管理条例》第十八条', days: [20, 10], pop: 60, online: 3, baseLic: 'sttt', mats: ['章程修改说明', '会员（代表）大会决议', '业务主管单位审查同意文件'] });
add('XH-MZJ', 'E', '01', '地名命名、更名审批', { basis: '《地名管理条例》第十条', days: [20, 10], pop: 60, online: 3, mats: ['地名命名、更名申请书', '拟命名地名位置图', '命名理由说明'] });

// 区医保局 XH-YBJ ------------------------------------------------------------
add('XH-YBJ', 'E', '20', '医保定点医疗机构申请', { basis: '《医疗机构医疗保障定点管理暂行办法》第九条', days: [90, 60], pop: 200, online: 3, mats: ['yljg', '医疗机构定点申请表', '医保信息系统建设情况说明', '医保管理制度'] });
add('XH-YBJ', 'E', '20', '医保定点零售药店申请', { basis: '《零售药店医疗保障定点管理暂行办法》第八条', days: [90, 60], pop: 250, online: 3, mats: ['ypjy', '零售药店定点申请表', '执业药师注册证', '医保管理制度'] });
add('XH-YBJ', 'E', '20', '长期护理保险定点护理服务机构申请', { basis: '《上海市长期护理保险试行办法》第二十二条', days: [60, 40], pop: 80, online: 3, mats: ['定点护理服务机构申请表', '养老机构备案回执或医疗机构执业许可证', '护理人员资质证明'] });
const ybP = { where: W.P, online: 4 };
add('XH-YBJ', 'P', '07', '城乡居民基本医疗保险参保登记', { ...ybP, online: 3, where: W.sq, basis: SBF + '第二十五条', days: [5, 0], pop: 2700, mats: ['hkb?本市户籍的', 'jzz?持本市居住证的'] });
add('XH-YBJ', 'P', '20', '跨省异地就医登记备案', { ...ybP, basis: '《国家医保局 财政部关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知》（医保发〔2022〕22号）', days: [1, 0], pop: 5800, noApp: true, mats: ['异地就医备案信息（网上填报）', '异地居住或工作证明?'] });
add('XH-YBJ', 'P', '05', '医疗费用零星报销', { ...ybP, online: 3, basis: SBF + '第二十八条', days: [30, 20], pop: 4600, mats: ['sbk', '医疗费用原始收据及费用明细', '门急诊病历或出院小结'] });
add('XH-YBJ', 'P', '05', '生育生活津贴申领', { ...ybP, basis: SBF + '第五十六条', days: [20, 10], pop: 4200, mats: ['csyx', 'sbk', '生育医疗证明'] });
add('XH-YBJ', 'P', '05', '生育医疗费补贴申领', { ...ybP, basis: SBF + '第五十五条', days: [20, 10], pop: 3700, mats: ['csyx', 'sbk'] });
add('XH-YBJ', 'P', '20', '门诊大病登记', { ...ybP, basis: '《上海市基本医疗保险门诊大病费用结算办法》第三条', days: [1, 0], pop: 2100, mats: ['sbk', '医疗机构出具的门诊大病诊断证明'] });
add('XH-YBJ', 'P', '05', '长期护理保险待遇申请', { ...ybP, online: 3, basis: '《上海市长期护理保险试行办法》第十二条', days: [30, 20], pop: 2300, mats: ['sbk', '老年照护统一需求评估结果'] });
add('XH-YBJ', 'P', '05', '医疗救助申请', { ...ybP, online: 3, where: W.sq, basis: '《社会救助暂行办法》第二十八条', days: [30, 20], pop: 600, mats: ['hkb', '医疗费用票据', '低保、特困等救助对象证明?'] });
add('XH-YBJ', 'P', '20', '医疗保险关系转移接续', { ...ybP, basis: SBF + '第三十二条', days: [45, 15], pop: 1800, mats: ['参保凭证', '转移接续申请表'] });
add('XH-YBJ', 'P', '20', '职工医保个人账户家庭共济', { ...ybP, basis: '《国务院办公厅关于建立健全职工基本医疗保险门诊共济保障机制的指导意见》（国办发〔2021〕14号）', days: [1, 0], pop: 2500, noApp: true, mats: ['家庭共济绑定授权（网上办理）', 'hkb?为近亲属绑定共济的', 'jhz?为配偶绑定共济的'] });
add('XH-YBJ', 'P', '20', '医疗保障参保凭证打印', { ...ybP, basis: SBF + '第七十四条', days: [1, 0], pop: 2900, noApp: true, mats: ['打印申请（自助终端或网上）'] });

// 公积金徐汇区管理部 XH-GJJ --------------------------------------------------
const GJT = '《住房公积金管理条例》';
const gjE = { where: W.gjj, online: 4 };
add('XH-GJJ', 'E', '07', '住房公积金单位登记', { ...gjE, where: W.kb, basis: GJT + '第十四条', days: [5, 0], pop: 8400, app: '住房公积金单位缴存登记表', mats: ['银行账户信息'], cond: '新设立的单位自设立之日起三十日内办理住房公积金缴存登记；企业开办“一窗通”中同步办理。' });
add('XH-GJJ', 'E', '07', '住房公积金单位信息变更', { ...gjE, basis: GJT + '第十四条', days: [5, 0], pop: 1700, mats: ['变更事项证明材料'] });
add('XH-GJJ', 'E', '07', '住房公积金单位注销登记', { ...gjE, basis: GJT + '第十四条', days: [5, 0], pop: 700, mats: ['单位注销或撤销的证明文件', '职工住房公积金账户转移或封存清册'] });
add('XH-GJJ', 'E', '07', '职工住房公积金账户设立', { ...gjE, basis: GJT + '第十五条', days: [1, 0], pop: 8900, noApp: true, mats: ['职工缴存信息（网上申报）', '劳动合同?'] });
add('XH-GJJ', 'E', '10', '住房公积金缴存基数调整', { ...gjE, basis: GJT + '第十六条', days: [1, 0], pop: 7300, noApp: true, mats: ['缴存基数调整清册（网上申报）'] });
add('XH-GJJ', 'E', '10', '降低住房公积金缴存比例或缓缴审批', { ...gjE, online: 3, basis: GJT + '第二十条', days: [20, 10], pop: 300, mats: ['降低缴存比例或缓缴申请书', '职工代表大会或工会讨论通过的证明', '单位经营困难的证明材料'] });
add('XH-GJJ', 'E', '07', '补充住房公积金单位登记', { ...gjE, basis: '《上海市补充住房公积金暂行办法》第四条', days: [5, 0], pop: 1200, mats: ['补充住房公积金缴存登记表', '职工代表大会或工会讨论通过的证明'] });
const gjP = { where: W.gjj, online: 4, rl: 3 };
const GJTQ = GJT + '第二十四条';
add('XH-GJJ', 'P', '20', '住房公积金提取（购买自住住房）', { ...gjP, basis: GJTQ, days: [5, 0], pop: 7100, mats: ['bdc', '购房合同及付款凭证', 'jhz?配偶共同提取的'] });
add('XH-GJJ', 'P', '20', '住房公积金提取（租赁自住住房）', { ...gjP, basis: GJTQ, days: [5, 0], pop: 8200, mats: ['zlba?提供租赁备案证明的', '房屋租赁合同?', 'jhz?配偶共同提取的'], faq: [['没有租赁备案证明能提取吗？', '无房职工在本市租赁自住住房的，可按规定额度提取；已办理房屋租赁合同登记备案的，可按实际房租提取，租赁备案证明可直接调用电子证照。']] });
add('XH-GJJ', 'P', '20', '住房公积金提取（偿还住房贷款本息）', { ...gjP, basis: GJTQ, days: [5, 0], pop: 6800, mats: ['bdc', '借款合同', 'jhz?配偶共同提取的'] });
add('XH-GJJ', 'P', '20', '住房公积金提取（离退休、出境定居）', { ...gjP, online: 3, basis: GJTQ, days: [5, 0], pop: 2400, mats: ['退休证明或出境定居证明', 'sbk'] });
add('XH-GJJ', 'P', '20', '住房公积金贷款申请', { ...gjP, online: 3, basis: GJT + '第二十六条', days: [15, 10], pop: 3900, mats: ['购房合同', 'hkb', 'jhz?已婚的', '收入证明'] });
add('XH-GJJ', 'P', '20', '住房公积金个人账户转移', { ...gjP, basis: GJT + '第十八条', days: [5, 0], pop: 2700, noApp: true, mats: ['转移申请（网上办理）'] });
add('XH-GJJ', 'P', '20', '个人住房公积金缴存证明开具', { ...gjP, basis: GJT + '第十九条', days: [1, 0], pop: 3100, noApp: true, mats: ['缴存证明申请（网上办理）'] });
add('XH-GJJ', 'P', '20', '住房公积金贷款提前还款', { ...gjP, basis: GJT + '第二十六条', days: [5, 0], pop: 1600, noApp: true, mats: ['提前还款申请', '借款合同'] });

// 区商务委 XH-SWW ------------------------------------------------------------
const JLT = '《上海市酒类商品产销管理条例》第十五条';
vary('XH-SWW', 'E', '01', '酒类商品零售许可', ['新办', '变更', '延续', '注销'], { basis: JLT, days: [20, 5], produces: '酒类商品零售许可证', pop: 1500, online: 4, mats: ['spjy', '经营场所使用证明', '酒类商品质量安全管理制度'] });
vary('XH-SWW', 'E', '01', '酒类商品批发许可', ['新办', '变更', '延续'], { basis: JLT, days: [20, 10], produces: '酒类商品批发许可证', pop: 300, online: 4, mats: ['spjy', '仓储场所使用证明', '酒类商品质量安全管理制度'] });
add('XH-SWW', 'E', '10', '再生资源回收经营者备案', { basis: '《再生资源回收管理办法》第七条', days: [5, 1], produces: '再生资源回收经营者备案回执', pop: 150, online: 4, mats: ['再生资源回收经营者备案登记表', '经营场所使用证明'] });
add('XH-SWW', 'E', '10', '单用途商业预付卡备案', { basis: '《单用途商业预付卡管理办法（试行）》第七条', days: [5, 1], pop: 400, online: 4, mats: ['单用途卡业务备案表', '预付卡章程或简章', '资金存管协议'] });
add('XH-SWW', 'E', '10', '外商投资信息报告', { basis: '《中华人民共和国外商投资法》第三十四条', days: [1, 0], pop: 1300, online: 4, noApp: true, mats: ['外商投资信息报告表（网上填报）'] });
add('XH-SWW', 'E', '05', '商务发展专项资金扶持申请', { basis: '《中华人民共和国中小企业促进法》第十条', days: [60, 40], pop: 700, online: 4, mats: ['专项资金申请书', '项目实施方案', '上年度财务审计报告'] });
add('XH-SWW', 'E', '10', '美容美发经营者备案', { basis: '《美容美发业管理暂行办法》第七条', days: [5, 1], pop: 300, online: 4, mats: ['备案登记表', 'ggws'] });
add('XH-SWW', 'E', '10', '洗染业经营者备案', { basis: '《洗染业管理办法》第十二条', days: [5, 1], pop: 80, online: 4, mats: ['备案登记表', '经营场所使用证明'] });

// 区科委 XH-KWW --------------------------------------------------------------
vary('XH-KWW', 'E', '01', '外国人来华工作许可', ['新办', '延期', '变更', '注销'], { basis: '《外国人在中国就业管理规定》第五条', days: [10, 5], produces: '外国人工作许可证', pop: 1700, online: 4, mats: ['外国人护照或国际旅行证件', '工作资历证明', '最高学位（学历）证书或相关批准文书', '境外无犯罪记录证明（经认证）', '劳动合同或聘用证明'], cond: '用人单位依法设立，聘用的外国人年满18周岁、身体健康、无犯罪记录，有确定的用人单位，具有从事其工作所必需的专业技能或相适应的工作经历。' });
add('XH-KWW', 'E', '07', '外国高端人才确认函', { basis: '《外国人在中国就业管理规定》第五条', days: [10, 5], pop: 300, online: 4, mats: ['外国高端人才认定条件证明材料', '聘用意向书'] });
add('XH-KWW', 'E', '07', '技术合同认定登记', { basis: '《技术合同认定登记管理办法》第四条', days: [30, 5], produces: '技术合同登记证明', pop: 1400, online: 4, mats: ['技术合同文本', '技术合同认定登记申请表'] });
add('XH-KWW', 'E', '07', '高新技术企业认定推荐', { basis: '《高新技术企业认定管理办法》第十一条', days: [60, 30], produces: '高新技术企业证书', pop: 1900, online: 4, mats: ['高新技术企业认定申请书', '知识产权相关材料', '近三个会计年度研究开发费用专项审计报告', '近一个会计年度高新技术产品（服务）收入专项审计报告'] });
add('XH-KWW', 'E', '07', '技术先进型服务企业认定', { basis: '《财政部 税务总局 商务部 科技部 国家发展改革委关于将技术先进型服务企业所得税政策推广至全国实施的通知》（财税〔2017〕79号）', days: [60, 30], pop: 100, online: 4, mats: ['技术先进型服务企业认定申请表', '离岸服务外包合同', '上年度财务审计报告'] });
add('XH-KWW', 'E', '20', '科技型中小企业评价入库', { basis: '《科技型中小企业评价办法》第五条', days: [20, 10], pop: 2100, online: 4, noApp: true, mats: ['科技型中小企业信息表（网上填报）', '上年度财务报表'] });
add('XH-KWW', 'E', '07', '科技企业孵化器认定', { basis: '《科技企业孵化器管理办法》第六条', days: [60, 40], pop: 40, online: 3, mats: ['孵化器认定申请书', '孵化场地产权证明或租赁合同', '在孵企业名单'] });
add('XH-KWW', 'E', '08', '高新技术企业认定奖励', { basis: '《中华人民共和国科学技术进步法》第二十条', days: [60, 40], pop: 800, online: 4, mats: ['gxqy', '奖励申请表', '银行账户信息'] });
add('XH-KWW', 'E', '05', '科技创新专项资金申请', { basis: '《中华人民共和国中小企业促进法》第三十二条', days: [60, 40], pop: 900, online: 4, mats: ['项目申报书', '上年度财务审计报告', 'gxqy?高新技术企业'] });

// 区发展改革委 XH-FGW ---------------------------------------------------------
const TZT = '《企业投资项目核准和备案管理条例》';
add('XH-FGW', 'E', '10', '企业投资项目备案', { basis: TZT + '第十三条', days: [1, 0], pop: 900, online: 4, noApp: true, mats: ['项目备案信息（网上填报）', '项目单位基本情况'] });
add('XH-FGW', 'E', '01', '企业投资项目核准', { basis: TZT + '第三条', days: [20, 10], pop: 60, online: 3, mats: ['项目申请书', '用地（用海）预审意见或规划选址意见', 'xzyj?'] });
add('XH-FGW', 'E', '10', '外商投资项目备案', { basis: '《外商投资项目核准和备案管理办法》第十八条', days: [1, 0], pop: 200, online: 4, noApp: true, mats: ['项目备案信息（网上填报）'] });
add('XH-FGW', 'E', '01', '政府投资项目建议书审批', { basis: '《政府投资条例》第九条', days: [20, 15], pop: 100, online: 3, baseLic: null, mats: ['项目建议书', '项目单位申请文件'] });
add('XH-FGW', 'E', '01', '政府投资项目可行性研究报告审批', { basis: '《政府投资条例》第九条', days: [20, 15], pop: 90, online: 3, baseLic: null, mats: ['可行性研究报告', 'xzyj?', '节能审查意见'] });
add('XH-FGW', 'E', '01', '政府投资项目初步设计及概算审批', { basis: '《政府投资条例》第十二条', days: [20, 15], pop: 80, online: 3, baseLic: null, mats: ['初步设计文件及概算书', '可行性研究报告批复'] });
add('XH-FGW', 'E', '01', '固定资产投资项目节能审查', { basis: '《中华人民共和国节约能源法》第十五条', days: [20, 10], pop: 120, online: 3, mats: ['节能报告', '项目备案或核准文件'] });
add('XH-FGW', 'E', '07', '价格认定', { basis: '《价格认定规定》第四条', days: [20, 15], pop: 50, online: 3, mats: ['价格认定协助书', '价格认定标的相关材料'] });
add('XH-FGW', 'E', '10', '粮食收购备案', { basis: '《粮食流通管理条例》第九条', days: [5, 1], pop: 20, online: 4, mats: ['粮食收购备案表', '仓储设施使用证明'] });

// 区财政局 XH-CZJ ------------------------------------------------------------
add('XH-CZJ', 'E', '09', '政府采购投诉处理', { basis: '《中华人民共和国政府采购法》第五十六条', days: [30, 20], pop: 80, online: 3, mats: ['投诉书', '质疑函及质疑答复', '相关证明材料'] });
add('XH-CZJ', 'E', '01', '代理记账许可', { basis: '《中华人民共和国会计法》第三十六条', days: [10, 5], pop: 300, online: 4, mats: ['代理记账资格申请表', '专职从业人员会计资格证明', '代理记账业务规范和财务会计管理制度'] });
add('XH-CZJ', 'E', '10', '政府采购进口产品审核', { basis: '《政府采购进口产品管理办法》第四条', days: [20, 10], pop: 30, online: 3, baseLic: null, mats: ['政府采购进口产品申请表', '专家论证意见'] });
add('XH-CZJ', 'E', '10', '财政票据领用', { basis: '《财政票据管理办法》第十六条', days: [5, 1], pop: 150, online: 3, baseLic: null, mats: ['财政票据领用单', '事业单位法人证书或批准设立文件'] });
add('XH-CZJ', 'P', '20', '会计人员信息采集', { where: W.P, online: 4, basis: '《会计人员管理办法》第六条', days: [5, 1], pop: 1400, noApp: true, mats: ['学历证书', '会计专业技术资格证书?'] });

// 区司法局 XH-SFJ ------------------------------------------------------------
add('XH-SFJ', 'P', '20', '法律援助申请', { where: '徐汇区公共法律服务中心法律援助窗口', online: 3, basis: '《中华人民共和国法律援助法》第四十一条', days: [7, 5], pop: 1200, mats: ['法律援助申请表', '经济困难状况说明表', '与所申请法律援助事项有关的材料'] });
add('XH-SFJ', 'P', '20', '人民调解申请', { where: '居住地人民调解委员会或徐汇区公共法律服务中心', online: 3, basis: '《中华人民共和国人民调解法》第十七条', days: [30, 30], pop: 1300, noApp: true, mats: ['纠纷基本情况说明', '相关证据材料?'] });
add('XH-SFJ', 'P', '10', '行政复议申请', { where: '徐汇区人民政府行政复议受理窗口', online: 3, basis: '《中华人民共和国行政复议法》第十一条', days: [60, 45], pop: 700, mats: ['行政复议申请书', '被申请复议的行政行为相关材料'] });
add('XH-SFJ', 'P', '01', '基层法律服务工作者执业核准', { where: W.P, online: 3, basis: '《基层法律服务工作者管理办法》第十三条', days: [20, 10], pop: 40, mats: ['执业申请表', '法律服务工作者资格证明', '拟执业基层法律服务所出具的同意接收证明'] });
add('XH-SFJ', 'E', '01', '基层法律服务所设立核准', { basis: '《基层法律服务所管理办法》第九条', days: [20, 10], pop: 15, online: 3, baseLic: null, mats: ['设立申请书', '章程', '执业人员名单及资格证明', '办公场所使用证明'] });
add('XH-SFJ', 'E', '10', '律师事务所设立初审', { basis: '《中华人民共和国律师法》第十八条', days: [20, 15], pop: 60, online: 3, baseLic: null, mats: ['设立申请书', '律师事务所章程', '设立人律师执业证书', '住所证明'] });

// 区体育局 XH-TYJ ------------------------------------------------------------
vary('XH-TYJ', 'E', '01', '高危险性体育项目经营许可', ['新办', '变更', '延续', '注销'], { basis: '《全民健身条例》第三十二条', days: [30, 15], produces: '高危险性体育项目经营许可证', pop: 300, online: 3, site: true, mats: ['体育设施符合国家标准的说明性材料', { n: '社会体育指导员、救助人员职业技能等级证书', lt: '职业技能等级证书', f: 'copy' }, '安全生产岗位责任制、安全操作规程和突发事件应急预案', 'ggws?经营游泳项目的'] });
add('XH-TYJ', 'E', '05', '公共体育场馆免费或低收费开放补助申请', { basis: '《公共文化体育设施条例》第二十二条', days: [60, 30], pop: 60, online: 3, mats: ['开放情况报告', '补助资金申请表'] });
add('XH-TYJ', 'E', '01', '举办健身气功活动及设立站点审批', { basis: '《健身气功管理办法》第十四条', days: [20, 10], pop: 30, online: 3, baseLic: null, mats: ['申请书', '活动场所使用证明', '社会体育指导员证书'] });
add('XH-TYJ', 'P', '07', '社会体育指导员技术等级认定', { where: W.P, online: 3, basis: '《社会体育指导员管理办法》第十条', days: [30, 20], produces: '社会体育指导员证书', pop: 300, mats: ['社会体育指导员技术等级申请表', '培训考核合格证明'] });

// 区退役军人事务局 XH-TYJRSWJ -------------------------------------------------
const FYT = '《军人抚恤优待条例》';
const tyP = { where: W.sq, online: 3 };
add('XH-TYJRSWJ', 'P', '20', '退役军人信息采集登记', { ...tyP, online: 4, where: W.P, basis: '《中华人民共和国退役军人保障法》第十四条', days: [5, 1], pop: 1200, mats: ['退出现役证明', 'hkb'] });
add('XH-TYJRSWJ', 'P', '20', '退役军人优待证申领', { ...tyP, basis: '《退役军人、其他优抚对象优待证管理办法（试行）》第八条', days: [30, 20], pop: 1500, mats: ['退出现役证明', '近期二寸免冠彩色照片'] });
add('XH-TYJRSWJ', 'P', '05', '退役士兵自主就业一次性经济补助', { ...tyP, where: W.P, basis: '《退役士兵安置条例》第十九条', days: [30, 20], pop: 300, mats: ['退出现役证明', 'hkb', '银行账户信息'] });
add('XH-TYJRSWJ', 'P', '05', '义务兵家庭优待金申领', { ...tyP, basis: FYT + '第三十三条', days: [30, 20], pop: 400, mats: ['入伍通知书', 'hkb', '银行账户信息'] });
add('XH-TYJRSWJ', 'P', '05', '残疾军人伤残抚恤金申领', { ...tyP, basis: FYT + '第二十三条', days: [30, 20], pop: 150, mats: ['残疾军人证', 'hkb'] });
add('XH-TYJRSWJ', 'P', '05', '烈士遗属定期抚恤金申领', { ...tyP, basis: '《烈士褒扬条例》第十八条', days: [30, 20], pop: 60, mats: ['烈士证明书', 'hkb', '亲属关系证明'] });
add('XH-TYJRSWJ', 'P', '05', '重点优抚对象医疗补助申请', { ...tyP, basis: FYT + '第三十八条', days: [30, 20], pop: 200, mats: ['优抚对象证件', '医疗费用票据', 'sbk'] });
add('XH-TYJRSWJ', 'P', '05', '参战退役人员生活补助申领', { ...tyP, basis: FYT + '第三十五条', days: [30, 20], pop: 150, mats: ['参战证明材料', 'hkb'] });
add('XH-TYJRSWJ', 'E', '20', '退役军人专场招聘会企业报名', { basis: '《中华人民共和国退役军人保障法》第三十八条', days: [5, 3], pop: 150, online: 4, noApp: true, mats: ['招聘岗位信息（网上填报）'] });

// 区残联 XH-CL ---------------------------------------------------------------
const CJZ = '《中华人民共和国残疾人证管理办法》第六条';
const clP = { where: W.sq, online: 3, pform: true };
add('XH-CL', 'P', '07', '残疾人证办理', { ...clP, basis: CJZ, days: [30, 15], produces: '中华人民共和国残疾人证', pop: 1500, mats: ['hkb', '近期二寸免冠白底彩色照片', '残疾评定结论'], cond: '本市户籍，符合残疾标准的视力、听力、言语、肢体、智力、精神及多重残疾人，经指定医疗机构残疾评定。' });
add('XH-CL', 'P', '07', '残疾人证换领', { ...clP, kind: 'renew', basis: CJZ, days: [30, 15], produces: '中华人民共和国残疾人证', pop: 900, mats: ['cjrz', '近期二寸免冠白底彩色照片'] });
add('XH-CL', 'P', '07', '残疾人证补领', { ...clP, kind: 'reissue', basis: CJZ, days: [30, 15], produces: '中华人民共和国残疾人证', pop: 300, mats: ['hkb', '近期二寸免冠白底彩色照片'] });
add('XH-CL', 'P', '07', '残疾人证迁移', { ...clP, kind: 'chg', basis: CJZ, days: [30, 10], produces: '中华人民共和国残疾人证', pop: 200, mats: ['cjrz', 'hkb'] });
const CJBT = '《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）';
add('XH-CL', 'P', '05', '困难残疾人生活补贴申请', { ...clP, basis: CJBT, days: [30, 20], pop: 600, mats: ['cjrz', 'hkb', '低保或低收入证明'] });
add('XH-CL', 'P', '05', '重度残疾人护理补贴申请', { ...clP, basis: CJBT, days: [30, 20], pop: 700, mats: ['cjrz', 'hkb'] });
add('XH-CL', 'P', '20', '残疾人辅助器具适配申请', { ...clP, basis: '《中华人民共和国残疾人保障法》第四十八条', days: [20, 10], pop: 500, mats: ['cjrz', '辅助器具评估意见'] });
add('XH-CL', 'P', '05', '残疾人机动轮椅车燃油补贴申领', { ...clP, basis: '《财政部 中国残联关于残疾人机动轮椅车燃油补贴的通知》', days: [30, 20], pop: 150, mats: ['cjrz', '机动轮椅车行驶证', '机动车驾驶证'] });
add('XH-CL', 'E', '07', '用人单位安排残疾人就业情况审核', { basis: '《残疾人就业条例》第八条', days: [20, 10], pop: 2400, online: 4, mats: ['安排残疾人就业情况申报表', { n: '在职残疾职工残疾人证', lt: '中华人民共和国残疾人证', f: 'copy' }, '劳动合同及社会保险缴费记录'] });
add('XH-CL', 'E', '08', '超比例安排残疾人就业奖励', { basis: '《残疾人就业条例》第十六条', days: [30, 20], pop: 200, online: 4, mats: ['奖励申请表', { n: '在职残疾职工残疾人证', lt: '中华人民共和国残疾人证', f: 'copy' }, '银行账户信息'] });

// 区大数据中心 XH-DSJ --------------------------------------------------------
add('XH-DSJ', 'E', '20', '公共数据开放申请', { basis: '《上海市公共数据开放暂行办法》第十八条', days: [20, 10], pop: 200, online: 4, mats: ['公共数据开放申请表', '数据利用方案', '数据安全承诺书'] });
add('XH-DSJ', 'E', '20', '法人电子印章申领', { basis: '《中华人民共和国电子签名法》第十三条', days: [1, 0], pop: 3300, online: 4, noApp: true, mats: ['印章印模信息', 'frsfz'] });
add('XH-DSJ', 'E', '20', '电子证照信息纠错（法人）', { basis: '《上海市公共数据和一网通办管理办法》第三十二条', days: [5, 3], pop: 400, online: 4, noApp: true, mats: ['纠错申请（网上提交）', '正确信息的证明材料'] });
add('XH-DSJ', 'P', '20', '电子证照信息纠错（个人）', { where: W.P, online: 4, basis: '《上海市公共数据和一网通办管理办法》第三十二条', days: [5, 3], pop: 600, noApp: true, mats: ['纠错申请（网上提交）', '正确信息的证明材料'] });
add('XH-DSJ', 'P', '20', '“一网通办”实名认证等级提升', { where: W.P, online: 4, basis: '《上海市公共数据和一网通办管理办法》第二十条', days: [1, 0], pop: 4400, noApp: true, mats: ['人脸识别核验（线上）'], rl: 1 });

// 区行政服务中心 XH-ZWFW -----------------------------------------------------
add('XH-ZWFW', 'E', '20', '银行开户信息告知', { where: W.kb, online: 4, basis: '《中国人民银行关于取消企业银行账户许可的通知》（银发〔2019〕41号）', days: [1, 0], pop: 8100, noApp: true, mats: ['开户银行及账户信息（一窗通同步推送）'] });
add('XH-ZWFW', 'E', '20', '企业开办“一窗通”帮办服务', { where: W.kb, online: 4, basis: '《上海市优化营商环境条例》第十三条', days: [1, 0], pop: 5200, noApp: true, mats: ['帮办服务预约信息'] });
add('XH-ZWFW', 'E', '20', '重大项目审批代办服务', { where: W.build, online: 3, basis: '《上海市优化营商环境条例》第五十一条', days: [5, 3], pop: 300, mats: ['代办服务委托书', '项目基本情况'] });
add('XH-ZWFW', 'E', '20', '证照免费寄递服务（法人）', { online: 4, basis: '《上海市优化营商环境条例》第三十八条', days: [1, 0], pop: 2200, noApp: true, mats: ['寄递地址信息'] });
add('XH-ZWFW', 'P', '20', '个人事项“同城通办”预约', { where: W.P, online: 4, basis: '《上海市公共数据和一网通办管理办法》第二十五条', days: [1, 0], pop: 3500, noApp: true, mats: ['预约信息（网上填报）'], rl: 1 });
add('XH-ZWFW', 'P', '20', '政务服务“好差评”申诉复核', { where: W.P, online: 4, basis: '《国务院办公厅关于建立政务服务“好差评”制度提高政务服务水平的意见》（国办发〔2019〕51号）', days: [15, 5], pop: 200, noApp: true, mats: ['申诉复核申请及理由'] });

// 12345市民服务热线徐汇分中心 XH-12345 ---------------------------------------
const RX = '《上海市12345市民服务热线管理办法》第三条';
add('XH-12345', 'E', '20', '企业诉求受理（营商环境专线）', { where: '12345市民服务热线、“一网通办”或随申办“企业诉求”专栏', online: 4, hours: H.hotline, basis: RX, days: [15, 10], pop: 1700, noApp: true, mats: ['诉求内容（网上或电话提交）', '相关证明材料?'] });
add('XH-12345', 'P', '20', '市民诉求受理', { where: '12345市民服务热线、“一网通办”或随申办“12345”专栏', online: 4, hours: H.hotline, basis: RX, days: [15, 10], pop: 9900, noApp: true, mats: ['诉求内容（电话、网上提交）', '照片等佐证材料?'], rl: 1 });

// ---------------------------------------------------------------------------
// 4. build
// Unified social credit codes of the departments (GB 32100: 11 = 机关, region
// 310104, a GB 11714 organization code with its check, the MOD 31 check).
// They are derived from the department's position, not the real codes: a real
// deployment replaces them with the published ones.  E-license identifiers
// (GB/T 36904) carry the issuer's code.
const USCC_ALPHA = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function orgCheck(body8) {
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = body8[i];
    sum += (c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 55) * w[i];
  }
  const r = 11 - (sum % 11);
  return r === 10 ? 'X' : r === 11 ? '0' : String(r);
}
function usccCheck(body17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHA.indexOf(body17[i]) * (3 ** i % 31);
  return USCC_ALPHA[(31 - (sum % 31)) % 31];
}
function deptUscc(i) {
  const org = String(42590100 + i * 137).padStart(8, '0');
  const body = '11310104' + org + orgCheck(org);
  return body + usccCheck(body);
}
const deptByCode = new Map();
const departments = DEPTS.map(([code, name, name_en, short, phone, address], i) => {
  const d = { code, name, name_en, short, uscc: deptUscc(i), phone, address, sort: i + 1 };
  deptByCode.set(code, d);
  return d;
});

const ltByName = new Map();
const licenseTypes = LTYPES.map(([name, name_en, dept, holder, validity_years, fields], i) => {
  // GB/T 36904 证照类型代码: the defining authority's credit code + a 3-digit
  // sequence (here the issuing department stands in for the ministry).
  const typeCode = deptByCode.get(dept).uscc + String(i + 1).padStart(3, '0');
  const t = { code: 'LT-' + String(i + 1).padStart(3, '0'), name, name_en, dept, type_code: typeCode, holder: holder === 'P' ? 'person' : 'enterprise', validity_years, fields };
  ltByName.set(name, t);
  return t;
});
const lt = (name) => {
  const t = ltByName.get(name);
  check(t, `unknown license type name: ${name}`);
  return t ? t.code : undefined;
};
const matKeyByLt = new Map(Object.entries(MAT).map(([k, m]) => [m.lt, k]));

function material(spec) {
  let head = spec, cond = null;
  if (typeof spec === 'string') {
    const q = spec.indexOf('?');
    if (q >= 0) {
      head = spec.slice(0, q);
      cond = spec.slice(q + 1) || '按规定需要提供的';
    }
  }
  let m;
  if (typeof head === 'object') m = { n: head.n, lt: head.lt, f: head.f, c: head.c };
  else if (MAT[head]) m = { ...MAT[head] };
  else m = { n: head, f: /复印件/.test(head) ? 'copy' : /网上|线上|电子|信息（|系统/.test(head) ? 'electronic' : 'original' };
  const out = { name: m.n, required: cond ? 'conditional' : 'required' };
  if (cond) out.condition = cond;
  out.form = m.f || 'original';
  out.copies = m.c ?? 1;
  const ltName = m.lt || ltFromName(m.n);
  if (ltName) out.license_type = lt(ltName);
  out.lib = typeof head === 'string' && !!MAT[head];
  return out;
}
// A plain material name that ends with a license-type name (or a common
// short form of one) is that certificate, held by someone named in front:
// 法人股东营业执照, 住所不动产权证书, 母亲居民身份证 ...
const LT_ALIAS = {
  户口簿: '居民户口簿', 居住证: '上海市居住证', 残疾人证: '中华人民共和国残疾人证',
  完税证明: '中华人民共和国税收完税证明', 施工许可证: '建筑工程施工许可证', 教师资格证: '教师资格证书',
};
function ltFromName(n) {
  const names = [...ltByName.keys(), ...Object.keys(LT_ALIAS)].sort((a, b) => b.length - a.length);
  for (const x of names) if (n.endsWith(x) && !n.endsWith('军人证')) return LT_ALIAS[x] || x;
  return null;
}

// English texts of the options of the items' choice form fields, keyed by the
// Chinese option. A choice field gets options_en (same length and order as
// options); the stored value stays the Chinese option, only the displayed
// text switches language. Every option used must be here (checked below).
const OPTION_EN = {
  '有限责任公司': 'Limited liability company',
  '股份有限公司': 'Company limited by shares',
  '个人独资企业': 'Sole proprietorship',
  '合伙企业': 'Partnership',
  '主动申请注销': 'Voluntary deregistration',
  '歇业或停止经营': 'Closed or ceased operation',
  '解散或破产': 'Dissolution or bankruptcy',
  '其他': 'Other',
  '遗失': 'Lost',
  '损毁': 'Damaged',
  '信息有误': 'Incorrect information',
  '有限公司': 'Limited company',
  '食品销售经营者': 'Food seller',
  '餐饮服务经营者': 'Catering service operator',
  '单位食堂': 'Canteen of an organization',
  '电梯': 'Elevator',
  '锅炉': 'Boiler',
  '压力容器': 'Pressure vessel',
  '起重机械': 'Lifting machinery',
  '场（厂）内专用机动车辆': 'On-site special motor vehicle',
  '男': 'Male',
  '女': 'Female',
  '综合医院': 'General hospital',
  '专科医院': 'Specialized hospital',
  '门诊部': 'Outpatient department',
  '诊所': 'Clinic',
  '社区卫生服务中心': 'Community health service center',
  '住宿场所': 'Accommodation venue',
  '沐浴场所': 'Bathing venue',
  '美容美发场所': 'Beauty and hairdressing venue',
  '游泳场所': 'Swimming venue',
  '影剧院等文化娱乐场所': 'Cinema, theater or similar cultural venue',
  '歌舞娱乐场所': 'Song and dance entertainment venue',
  '游艺娱乐场所': 'Amusement and game venue',
};

// English labels of the items' application form fields, keyed by the Chinese
// label (form labels come from a small vocabulary: the base fields of persons,
// enterprises and founders, the per-kind fields and a few items' own fields).
// Every label used in an item's form must be here (checked below).
const FORM_LABEL_EN = {
  '房屋坐落': 'Property Address',
  '成交价格（万元）': 'Transaction Price (10,000 CNY)',
  '交易对方姓名': 'Name of the Other Party',
  '交易对方身份证号码': 'ID Number of the Other Party',
  '申请人姓名': 'Applicant Name',
  '公民身份号码': 'Citizen ID Number',
  '联系电话': 'Contact Phone',
  '单位名称': 'Organization Name',
  '统一社会信用代码': 'Unified Social Credit Code',
  '法定代表人（负责人）': 'Legal Representative (Person in Charge)',
  '经办人': 'Contact Person',
  '经办人联系电话': 'Contact Person\'s Phone',
  '申请人（投资人）姓名': 'Applicant (Investor) Name',
  '申请人公民身份号码': 'Applicant\'s Citizen ID Number',
  '拟设立名称': 'Proposed Name',
  '变更事项及内容': 'Changes and Details',
  '延续（换证）说明': 'Renewal Notes',
  '注销原因': 'Reason for Deregistration',
  '补（换）领原因': 'Reason for Replacement',
  '性别': 'Sex',
  '出生日期': 'Date of Birth',
  '企业类型': 'Enterprise Type',
  '注册资本（万元）': 'Registered Capital (10,000 CNY)',
  '住所': 'Domicile',
  '经营范围': 'Business Scope',
  '法定代表人姓名': 'Legal Representative\'s Name',
  '法定代表人身份证件号码': 'Legal Representative\'s ID Document No.',
  '分公司名称': 'Branch Name',
  '营业场所': 'Place of Business',
  '负责人': 'Person in Charge',
  '行业表述': 'Industry Description',
  '组织形式': 'Form of Organization',
  '经营场所': 'Business Premises',
  '经营场所面积（平方米）': 'Business Premises Area (m²)',
  '主体业态': 'Main Business Format',
  '经营项目': 'Business Items',
  '生产地址': 'Production Address',
  '食品类别': 'Food Category',
  '营业面积（平方米）': 'Business Area (m²)',
  '设备种类': 'Equipment Category',
  '设备代码': 'Equipment Code',
  '设备使用地点': 'Place of Use',
  '项目名称': 'Project Name',
  '建设位置': 'Construction Location',
  '建设规模（平方米）': 'Construction Scale (m²)',
  '医疗机构名称': 'Medical Institution Name',
  '类别': 'Category',
  '地址': 'Address',
  '诊疗科目': 'Medical Specialties',
  '床位（张）': 'Number of Beds',
  '经营地址': 'Business Address',
  '许可项目': 'Licensed Activities',
  '使用面积（平方米）': 'Usable Area (m²)',
  '经营类别': 'Business Category',
  '对方姓名': 'Partner\'s Name',
  '对方身份证件号码': 'Partner\'s ID Document No.',
  '预约登记日期': 'Appointment Date',
};

const PERSON_BASE = [
  { key: 'name', label: '申请人姓名', type: 'text', required: true, prefill: 'name' },
  { key: 'id_number', label: '公民身份号码', type: 'id_number', required: true, prefill: 'id_number' },
  { key: 'phone', label: '联系电话', type: 'phone', required: true, prefill: 'phone' },
];
const ENT_BASE = [
  { key: 'company_name', label: '单位名称', type: 'text', required: true, prefill: 'company_name' },
  { key: 'uscc', label: '统一社会信用代码', type: 'uscc', required: true, prefill: 'uscc' },
  { key: 'legal_rep', label: '法定代表人（负责人）', type: 'text', required: true, prefill: 'legal_rep' },
  { key: 'contact_name', label: '经办人', type: 'text', required: true, prefill: 'name' },
  { key: 'phone', label: '经办人联系电话', type: 'phone', required: true, prefill: 'phone' },
];
const FOUNDER_BASE = [
  { key: 'applicant_name', label: '申请人（投资人）姓名', type: 'text', required: true, prefill: 'name' },
  { key: 'applicant_id', label: '申请人公民身份号码', type: 'id_number', required: true, prefill: 'id_number' },
  { key: 'phone', label: '联系电话', type: 'phone', required: true, prefill: 'phone' },
  { key: 'proposed_name', label: '拟设立名称', type: 'text', required: true },
];
const KIND_FORM = {
  chg: [{ key: 'change_detail', label: '变更事项及内容', type: 'text', required: true }],
  renew: [{ key: 'renew_reason', label: '延续（换证）说明', type: 'text', required: false }],
  end: [{ key: 'cancel_reason', label: '注销原因', type: 'choice', required: true, options: ['主动申请注销', '歇业或停止经营', '解散或破产', '其他'] }],
  reissue: [{ key: 'reissue_reason', label: '补（换）领原因', type: 'choice', required: true, options: ['遗失', '损毁', '信息有误', '其他'] }],
};

function buildForm(it, o, kind) {
  const base = it.target === 'person' ? PERSON_BASE : o.founding || (o.foundNew && kind === 'new') ? FOUNDER_BASE : ENT_BASE;
  const extra = (kind === 'new' || kind === undefined ? o.form || [] : []).map(([key, label, type, req, options]) => {
    const fld = { key, label, type, required: !!req };
    if (options) fld.options = options;
    return fld;
  });
  const pext = it.target === 'person' && o.pform ? [{ key: 'sex', label: '性别', type: 'choice', required: true, options: ['男', '女'], prefill: 'sex' }, { key: 'birth_date', label: '出生日期', type: 'date', required: true, prefill: 'birth_date' }] : [];
  const fields = [...base.map((x) => ({ ...x })), ...pext, ...extra, ...(KIND_FORM[kind] || []).map((x) => ({ ...x }))];
  const seen = new Set();
  // label_en, the English label, right after label; a choice field's
  // options_en (English option texts) right after options
  return fields.filter((x) => (seen.has(x.key) ? false : seen.add(x.key)))
    .map(({ key, label, ...rest }) => {
      const out = { key, label, label_en: FORM_LABEL_EN[label] };
      for (const [k, v] of Object.entries(rest)) {
        out[k] = v;
        if (k === 'options') out.options_en = v.map((zh) => OPTION_EN[zh]);
      }
      return out;
    });
}

function stepsFor(it, o, lic) {
  if (o.steps) return o.steps;
  const dept = deptByCode.get(it.dept).short;
  const submit = it.online_level === 4 ? '登录“一网通办”在线填报并上传材料（也可至窗口提交）' : it.online_level === 3 ? '通过“一网通办”网上申报，或至办理窗口提交申请材料' : '预约后至办理窗口提交申请材料';
  const finish = lic ? `发放${lic}，同步生成电子证照` : null;
  switch (it.type) {
    case '行政许可':
      return [submit, '综合窗口收件，材料齐全、符合法定形式的予以受理', `${dept}审查${o.site ? '并组织现场核查' : ''}`, '作出准予许可或不予许可的书面决定', finish || '送达许可决定文书'];
    case '行政征收':
      return ['纳税（缴费）人通过电子税务局或窗口申报', '税务机关受理并审核申报信息', '缴纳税（费）款', finish || '开具缴款凭证'];
    case '行政给付':
      return o.publicize
        ? [submit, '受理并核对家庭经济状况', '入户调查、民主评议', '审核结果公示', '审批并按月发放']
        : [submit, '受理', `${dept}审核`, '核定并发放至本人银行账户或社会保障卡'];
    case '行政确认':
      return it.promised_days === 0 ? [submit, '窗口核验材料与数据比对', finish || '当场办结并出具结果'] : [submit, '受理', `${dept}审核确认`, finish || '出具确认结果'];
    case '行政奖励':
      return ['提交奖励申请', '资格审核', '评审并公示', '兑现奖励'];
    case '行政裁决':
      return ['提交裁决（处理）申请书及证据', '审查受理并通知被申请人答辩', '调查取证、听取双方意见（必要时组织调解）', '作出裁决（处理）决定并送达'];
    case '其他行政权力':
      return it.promised_days === 0 ? [submit, '系统或窗口核验', finish || '即时备案办结'] : [submit, '受理', `${dept}审核`, finish || '办结并告知结果'];
    default:
      return it.promised_days === 0 ? ['提出申请（线上或窗口）', '信息核验', finish || '当场办结并反馈结果'] : ['提出申请（线上或窗口）', '受理登记', `${dept}办理`, finish || '反馈办理结果'];
  }
}

function faqsFor(it, o, licMat) {
  const out = (!o.kind || o.kind === 'new' ? o.faq || [] : []).map(([q, a]) => ({ q, a }));
  const pool = [];
  if (!out.some((x) => /跑/.test(x.q))) pool.push({
    q: `“${it.name}”最多跑几次？`,
    a: it.max_visits === 0 ? '全程网办，无需到现场；结果可在线获取或免费邮寄送达。' : `最多跑${it.max_visits}次。可先在“一网通办”预约并预审材料，${it.max_visits === 1 ? '材料齐全的一次办结' : '受理和领取结果各一次，选择邮寄送达的只需跑一次'}。`,
  });
  pool.push({
    q: '多久能办好？',
    a: it.promised_days === 0 ? `即办件，材料齐全、符合法定形式的当场办结（法定时限${it.legal_days}个工作日）。` : `法定办结时限${it.legal_days}个工作日，承诺${it.promised_days}个工作日内办结，自受理之日起计算。`,
  });
  if (licMat) {
    const name = licenseTypes.find((t) => t.code === licMat.license_type).name;
    const idCheck = name === '居民身份证' && it.max_visits > 0;
    pool.push({
      q: `需要提交纸质${name}吗？`,
      a: idCheck
        ? '无需提交复印件。现场办理时请携带本人居民身份证原件用于身份核验；网上办理的，通过“一网通办”实名认证后自动调用电子证照。'
        : `不需要。${name}已归集到徐汇区电子证照库，经申请人授权后窗口直接调用电子证照，免于提交纸质原件和复印件。`,
    });
  }
  pool.push({ q: '是否收费？', a: it.fee === '不收费' ? '不收费。' : `${it.fee}${it.fee_basis ? `（依据：${it.fee_basis}）` : ''}。` });
  const start = fnv(it.name) % pool.length;
  for (let i = 0; out.length < 4 && i < pool.length; i++) out.push(pool[(start + i) % pool.length]);
  return out.slice(0, Math.max(2, Math.min(4, out.length)));
}

function defaultCond(it, o, kind) {
  if (o.cond && (kind === 'new' || kind === undefined)) return o.cond;
  const base = o.base || it.name;
  if (kind === 'chg') return `已取得${o.produces || base}，登记（许可）事项发生变化的，应当在规定期限内申请变更。`;
  if (kind === 'renew') {
    const w = o.suffix || (/校验/.test(it.name) ? '校验' : /换/.test(it.name) ? '换领' : '延续');
    return w === '延期' ? `已取得${o.produces || base}，因故不能在规定期限内开工（实施）的，应当在期限届满前申请延期。` : `${o.produces || base}有效期届满或按规定需要${w}的，应当在期限届满前申请${w}。`;
  }
  if (kind === 'end') return `已取得${o.produces || base}、需要终止相关活动的，申请注销（终止）。`;
  if (kind === 'reissue') return `${o.produces || base}遗失、损毁或信息需更正的，申请补（换）发。`;
  if (it.target === 'person') return `申请人为符合“${it.name}”办理条件的自然人；无民事行为能力或限制民事行为能力人由其监护人代为申请。申请材料齐全、符合法定形式。`;
  if (o.founding || (o.foundNew && kind === 'new')) return '申请人（举办者、投资人）符合法律法规规定的条件，拟设立主体住所位于徐汇区，申请材料齐全、符合法定形式。';
  return '申请人为住所或经营场所在徐汇区、依法设立的企业、事业单位、社会组织或其他组织，申请材料齐全、符合法定形式。';
}

const DEFAULT_DAYS = { '01': [20, 10], '04': [1, 0], '05': [30, 15], '07': [20, 5], '08': [30, 20], '09': [60, 45], '10': [20, 5], '20': [5, 0] };
const seqs = new Map();
const items = [];
for (const { dept, target, tc, name, o } of FAMS) {
  const kind = o.kind;
  const short = dept.slice(3);
  const key = `${short}-${tc}`;
  const seq = (seqs.get(key) || 0) + 1;
  seqs.set(key, seq);
  const it = { code: `${key}-${String(seq).padStart(4, '0')}`, name, dept, type: TYPE_NAMES[tc], target: target === 'P' ? 'person' : 'enterprise' };
  const [legal, promised] = o.days || DEFAULT_DAYS[tc];
  const produces = kind === 'end' ? null : o.produces || null;
  it.legal_basis = o.basis;
  it.legal_days = legal;
  it.promised_days = kind === 'chg' || kind === 'reissue' ? Math.min(promised, Math.max(0, Math.ceil(promised / 2))) : kind === 'end' ? Math.min(promised, 5) : promised;
  it.fee = o.fee || '不收费';
  it.fee_basis = o.fee && o.fee !== '不收费' ? o.feeBasis || '' : '';
  it.online_level = o.online || 3;
  it.max_visits = o.visits ?? (it.online_level === 4 ? 0 : it.online_level === 3 && (tc === '10' || tc === '04' || tc === '20') ? 0 : 1);
  it.where = o.where || (it.target === 'person' ? W.P : W.E);
  it.hours = o.hours || HOURS;
  it.conditions = defaultCond(it, o, kind);
  it.realname_level = o.rl ?? (it.target === 'enterprise' ? (tc === '01' || tc === '09' ? 3 : 2) : tc === '20' || tc === '08' ? 2 : 3);
  it.form = buildForm(it, o, kind);

  // materials: application, base certificate, family materials, original
  // certificate for 变更/延续/注销/补证, power of attorney.
  const specs = [];
  const sfx = o.varied && !['新办', '设立', '成立', '首次'].includes(o.suffix) ? o.suffix : '';
  if (!o.noApp) specs.push(o.app || `${(o.varied ? o.base + sfx : name.replace(/（[^（）]*）$/, '')).replace(/申请$/, '')}申请表`);
  const founding = o.founding || (o.foundNew && kind === 'new');
  if (it.target === 'enterprise' && !founding && o.baseLic !== null) specs.push(o.baseLic || 'yyzz');
  if (it.target === 'person' && !o.noId) specs.push('sfz');
  const famMats = o.mats || [];
  const origName = o.produces;
  if ((kind === 'chg' || kind === 'renew' || kind === 'end') && origName && o.orig !== false) specs.push(matKeyByLt.get(origName) || { n: origName, lt: origName });
  if (!o.varied || !kind || kind === 'new') specs.push(...famMats);
  else if (kind === 'chg') specs.push('变更事项相关证明材料', ...famMats.slice(0, 2));
  else if (kind === 'renew') specs.push(...famMats.slice(0, 2));
  else if (kind === 'reissue') specs.push('遗失声明或损毁的证照原件');
  let mats = [];
  const seenLt = new Set(), seenName = new Set();
  for (const s of specs) {
    const m = material(s);
    const lib = m.lib;
    delete m.lib;
    if (lib && m.license_type && seenLt.has(m.license_type)) continue;
    if (seenName.has(m.name)) continue;
    if (lib && m.license_type) seenLt.add(m.license_type);
    seenName.add(m.name);
    mats.push(m);
  }
  if (mats.length < 8 && !o.noAgent) mats.push(material('授权委托书及受托人身份证件?委托他人代为办理的'));
  mats = mats.slice(0, 8);
  it.materials = mats.map((m, i) => ({ code: `${it.code}-M${String(i + 1).padStart(2, '0')}`, ...m }));
  if (it.online_level === 4) for (const m of it.materials) if (/申请表|申请书/.test(m.name) && m.form === 'original') m.form = 'electronic';

  const licName = produces;
  it.steps = stepsFor(it, o, licName);
  const idCode = lt('居民身份证');
  it.faqs = faqsFor(it, o, it.materials.find((m) => m.license_type && m.license_type !== idCode) || it.materials.find((m) => m.license_type));
  if (produces) it.produces = lt(produces);
  const pop = (o.pop ?? 500) * (KIND_POP[kind] ?? 1);
  it.popularity = Math.max(0, Math.min(10000, Math.round(pop * (0.92 + (fnv(it.code + name) % 17) / 100))));
  items.push(it);
}

// ---------------------------------------------------------------------------
// 5. bundles (一件事)
const itemByName = new Map(items.map((i) => [i.name, i]));
const codeOf = (name) => {
  const i = itemByName.get(name);
  check(i, `bundle references unknown item name: ${name}`);
  return i ? i.code : undefined;
};
const bundles = [
  {
    code: 'BND-QYKB', name: '企业开办', name_en: 'Starting a Business', target: 'enterprise', promised_days: 3,
    description: '通过上海市企业开办“一窗通”一表填报：先办理企业设立登记领取营业执照，随后并联完成印章刻制备案、税务登记和发票领用、社保开户登记、住房公积金单位登记、银行开户信息告知，环节由7个压减到3个，全流程3个工作日内办结。',
    description_en: 'Through Shanghai\'s "one window" for starting a business, one form for everything: first the enterprise establishment registration issues the business license, then the seal engraving filing, tax registration and invoice collection, social insurance account opening, housing provident fund employer registration and the bank account notification run in parallel. Seven stages become three, all done within 3 working days.',
    steps: [
      { step: 1, items: [codeOf('企业设立登记')] },
      { step: 2, items: ['印章刻制备案', '税务登记', '发票领用', '社保开户登记', '住房公积金单位登记', '银行开户信息告知'].map(codeOf) },
    ],
    // 一表生成: the registration and application tables of the items that the
    // bundle's one form fills in (by material name); they are never uploaded
    one_form: ['企业登记（备案）申请书', '“多证合一”登记信息确认表', '发票领用申请表', '社会保险登记表（单位）',
      '住房公积金单位缴存登记表', '开户银行及账户信息（一窗通同步推送）'],
  },
  {
    code: 'BND-BDCJY', name: '不动产交易登记', name_en: 'Real Estate Transaction and Registration', target: 'person', promised_days: 5,
    description: '交易、税务、登记“三位一体”综合受理：在徐汇区行政服务中心不动产交易登记综合窗口一窗受理房屋买卖合同网签备案、房屋交易税收申报和不动产转移登记，一套材料、一次提交，发证时间由41个自然日压缩至5个工作日，部分登记业务当场办结。',
    description_en: 'Transaction, tax and registration accepted together ("three in one") at the real estate window of the Xuhui Administrative Service Center: the online signing and filing of the sales contract, the transaction tax declaration and the transfer registration, with one set of materials handed in once. The certificate comes in 5 working days instead of 41 calendar days; some registrations are done on the spot.',
    steps: [{ step: 1, items: ['房屋买卖合同网签备案', '房屋交易税收申报', '不动产转移登记'].map(codeOf) }],
  },
  {
    code: 'BND-JSXM', name: '建设项目联合审批', name_en: 'Joint Approval of Construction Projects', target: 'enterprise', promised_days: 41,
    description: '依托建设项目联合审批平台，规划、消防、人防、绿化、排水、交通等部门并联审查、信息实时互通并主动上门服务，从提交材料到完成投资建设审批由原来的200多天压缩至41天。',
    description_en: 'On the joint approval platform for construction projects, planning, fire protection, civil air defense, greening, drainage and traffic review in parallel, share information in real time and come to the applicant: from handing in the materials to the last approval in 41 days instead of more than 200.',
    steps: [{ step: 1, items: ['建设工程规划许可证核发', '消防设计审查', '人防工程审批', '绿化审批', '排水许可', '交通影响评价审查'].map(codeOf) }],
  },
];

// ---------------------------------------------------------------------------
// 6. assertions
const uniq = (arr, key, what) => {
  const seen = new Set();
  for (const x of arr) {
    check(!seen.has(x[key]), `duplicate ${what} ${key}: ${x[key]}`);
    seen.add(x[key]);
  }
};
uniq(departments, 'code', 'department');
uniq(departments, 'name', 'department');
uniq(licenseTypes, 'code', 'license type');
uniq(licenseTypes, 'name', 'license type');
uniq(items, 'code', 'item');
uniq(items, 'name', 'item');
uniq(bundles, 'code', 'bundle');
for (const code of ['XH-DSJ', 'XH-ZWFW', 'XH-12345', 'XH-SCJ']) check(deptByCode.has(code), `missing department ${code}`);
for (const d of departments) {
  check(/^XH-[A-Z0-9]+$/.test(d.code), `bad department code ${d.code}`);
  check(/^021-\d{5,8}$/.test(d.phone), `bad phone ${d.phone}`);
}
const ltCodes = new Set(licenseTypes.map((t) => t.code));
const itemCodes = new Set(items.map((i) => i.code));
const issuing = new Set(licenseTypes.map((t) => t.dept));
for (const t of licenseTypes) {
  check(deptByCode.has(t.dept), `license type ${t.code} has unknown dept ${t.dept}`);
  check(t.fields.length >= 4 && t.fields.length <= 8, `license type ${t.name} has ${t.fields.length} fields`);
  check(t.fields.every((x) => ['text', 'date', 'number', 'id_number', 'uscc', 'address'].includes(x.type)), `license type ${t.name} has a bad field type`);
  uniq(t.fields, 'key', `field of ${t.name}`);
  for (const x of t.fields) check(typeof x.label_en === 'string' && x.label_en.trim() && !/[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/.test(x.label_en), `license type ${t.name} field ${x.label} has no English label (add it to LABEL_EN)`);
}
for (const zh of Object.keys(LABEL_EN)) check(licenseTypes.some((t) => t.fields.some((x) => x.label === zh)), `LABEL_EN has unused label ${zh}`);
for (const zh of Object.keys(OPTION_EN)) check(items.some((i) => i.form.some((x) => (x.options || []).includes(zh))), `OPTION_EN has unused option ${zh}`);
for (const zh of Object.keys(FORM_LABEL_EN)) check(items.some((i) => i.form.some((x) => x.label === zh)), `FORM_LABEL_EN has unused label ${zh}`);
const FORM_TYPES = ['text', 'date', 'number', 'choice', 'id_number', 'uscc', 'address', 'phone'];
const PREFILL = ['name', 'id_number', 'sex', 'birth_date', 'phone', 'company_name', 'uscc', 'legal_rep'];
let licenseMaterials = 0;
const mappingPairs = new Set();
for (const it of items) {
  const short = it.dept.slice(3);
  check(deptByCode.has(it.dept), `item ${it.code} has unknown dept ${it.dept}`);
  check(new RegExp(`^${short}-(01|04|05|07|08|09|10|20)-\\d{4}$`).test(it.code), `bad item code ${it.code}`);
  check(TYPE_NAMES[it.code.split('-')[1]] === it.type, `item ${it.code} type/code mismatch`);
  check(it.target === 'person' || it.target === 'enterprise', `item ${it.code} bad target`);
  check(typeof it.legal_basis === 'string' && it.legal_basis.startsWith('《'), `item ${it.code} legal_basis`);
  check(Number.isInteger(it.legal_days) && Number.isInteger(it.promised_days) && it.promised_days >= 0 && it.promised_days <= it.legal_days && it.legal_days > 0, `item ${it.code} days ${it.legal_days}/${it.promised_days}`);
  check(it.online_level >= 1 && it.online_level <= 4, `item ${it.code} online_level`);
  check([0, 1, 2].includes(it.max_visits), `item ${it.code} max_visits`);
  check(it.realname_level >= 1 && it.realname_level <= 3, `item ${it.code} realname_level`);
  check(it.fee === '不收费' ? it.fee_basis === '' : true, `item ${it.code} fee_basis without fee`);
  check(it.materials.length >= 2 && it.materials.length <= 8, `item ${it.code} has ${it.materials.length} materials`);
  check(it.steps.length >= 3 && it.steps.length <= 6, `item ${it.code} has ${it.steps.length} steps`);
  check(it.faqs.length >= 2 && it.faqs.length <= 4, `item ${it.code} has ${it.faqs.length} faqs`);
  check(it.popularity >= 0 && it.popularity <= 10000, `item ${it.code} popularity`);
  uniq(it.form, 'key', `form field of ${it.code}`);
  for (const fl of it.form) {
    check(FORM_TYPES.includes(fl.type), `item ${it.code} field ${fl.key} type ${fl.type}`);
    check(fl.type !== 'choice' || (Array.isArray(fl.options) && fl.options.length >= 2), `item ${it.code} choice ${fl.key} lacks options`);
    check(fl.type !== 'choice' || (Array.isArray(fl.options_en) && fl.options_en.length === fl.options.length && fl.options_en.every((x) => typeof x === 'string' && x.trim() && !/[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/.test(x))), `item ${it.code} choice ${fl.key} has options without an English text (add them to OPTION_EN)`);
    check(fl.type === 'choice' || fl.options_en === undefined, `item ${it.code} field ${fl.key} has options_en but is no choice`);
    check(!fl.prefill || PREFILL.includes(fl.prefill), `item ${it.code} field ${fl.key} bad prefill`);
    check(typeof fl.label_en === 'string' && fl.label_en.trim() && !/[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/.test(fl.label_en), `item ${it.code} form field ${fl.key} (${fl.label}) has no English label (add it to FORM_LABEL_EN)`);
  }
  for (const m of it.materials) {
    check(['required', 'conditional'].includes(m.required) && ['original', 'copy', 'electronic'].includes(m.form), `item ${it.code} material ${m.code}`);
    check(m.required !== 'conditional' || m.condition, `item ${it.code} material ${m.code} lacks condition`);
    if (m.license_type) {
      check(ltCodes.has(m.license_type), `item ${it.code} material references unknown ${m.license_type}`);
      licenseMaterials++;
      mappingPairs.add(`${m.license_type}:${it.dept}`);
    }
  }
  check(!it.produces || ltCodes.has(it.produces), `item ${it.code} produces unknown ${it.produces}`);
}
for (const b of bundles) for (const s of b.steps) for (const c of s.items) check(itemCodes.has(c), `bundle ${b.code} references unknown item ${c}`);
for (const b of bundles) {
  const names = new Set(b.steps.flatMap((s) => s.items).flatMap((c) => (items.find((i) => i.code === c) || { materials: [] }).materials.map((m) => m.name)));
  for (const n of b.one_form || []) check(names.has(n), `bundle ${b.code}: one_form names ${n}, which none of its items asks for`);
}
// every department serves someone; every license type is produced by some item
for (const d of departments) check(items.some((i) => i.dept === d.code), `department ${d.code} has no items`);
const produced = new Set(items.map((i) => i.produces).filter(Boolean));
for (const t of licenseTypes) check(produced.has(t.code), `license type ${t.code} ${t.name} is never produced`);
for (const i of items) if (i.produces) {
  const t = licenseTypes.find((x) => x.code === i.produces);
  check(t.dept === i.dept, `item ${i.code} ${i.name} produces ${t.name} issued by another department (${t.dept})`);
}
// spot-check the anchors named in the brief
const anchor = (name, lic) => check(itemByName.get(name)?.produces === lt(lic), `${name} should produce ${lic}`);
anchor('企业设立登记', '营业执照');
anchor('食品经营许可（新办）', '食品经营许可证');
check(itemByName.get('企业设立登记')?.dept === 'XH-SCJ', '企业设立登记 should belong to XH-SCJ');

const counts = {
  departments: departments.length,
  licenseTypes: licenseTypes.length,
  issuingDepts: issuing.size,
  enterprise: items.filter((i) => i.target === 'enterprise').length,
  person: items.filter((i) => i.target === 'person').length,
  minLicenseMaterials: licenseMaterials,
  bundles: bundles.length,
};
for (const [k, v] of Object.entries(EXPECT)) {
  if (k === 'minLicenseMaterials') check(counts[k] >= v, `expected >= ${v} material→license mappings, got ${counts[k]}`);
  else check(counts[k] === v, `expected ${v} ${k}, got ${counts[k]}`);
}

// ---------------------------------------------------------------------------
// 7. output
// Joint review (联合审查): items whose review needs more departments than the
// one that owns them.  The cases module gives each of them a review task at
// acceptance; they work in parallel and the case is approved when all agree.
const CO_REVIEW = {
  '残疾人证办理': ['XH-WJW'],                      // 残联 + the medical assessment of 卫健
  '居住证办理': ['XH-FGJ'],                        // 公安 + 房管's check of the registered tenancy
  '公共场所卫生许可（新办）': ['XH-SCJ'],          // 卫健 + 市场监管's check of the business licence
  '娱乐场所经营许可（新办）': ['XH-XFJ', 'XH-GAFJ'], // 文旅 + 消防 + 公安 (治安)
  '危险化学品经营许可（新办）': ['XH-XFJ'],        // 应急 + 消防
  '医疗机构执业登记': ['XH-XFJ'],                  // 卫健 + 消防
};
// the generator's own bookkeeping does not belong in the data
for (const it of items) for (const m of it.materials) delete m.lib;
for (const it of items) {
  const extra = CO_REVIEW[it.name];
  if (!extra) continue;
  for (const d of extra) if (!departments.some((x) => x.code === d)) failures.push(`co-review of ${it.name}: unknown ${d}`);
  it.review_depts = [it.dept, ...extra];
}
for (const name of Object.keys(CO_REVIEW))
  if (!items.some((i) => i.name === name)) failures.push(`co-review names unknown item ${name}`);

const perDept = departments.map((d) => {
  const its = items.filter((i) => i.dept === d.code);
  return `${d.code.padEnd(12)} ${String(its.filter((i) => i.target === 'enterprise').length).padStart(3)} E ${String(its.filter((i) => i.target === 'person').length).padStart(3)} P  ${licenseTypes.filter((t) => t.dept === d.code).length} LT  ${d.short}`;
});
const lines = (arr) => '[\n' + arr.map((x) => '  ' + JSON.stringify(x)).join(',\n') + '\n]\n';
const files = {
  'departments.json': JSON.stringify(departments, null, 2) + '\n',
  'license_types.json': lines(licenseTypes),
  'items.json': lines(items),
  'bundles.json': JSON.stringify(bundles, null, 2) + '\n',
};

if (process.argv.includes('--verbose') || failures.length) console.log(perDept.join('\n'));
console.log(`departments            ${counts.departments}`);
console.log(`license types          ${counts.licenseTypes} (issued by ${counts.issuingDepts} departments)`);
console.log(`items                  ${items.length} = ${counts.enterprise} enterprise + ${counts.person} person`);
console.log(`material→license       ${counts.minLicenseMaterials} entries, ${mappingPairs.size} distinct (type, using department) pairs`);
console.log(`items producing a type ${items.filter((i) => i.produces).length}`);
console.log(`bundles                ${counts.bundles}`);
if (failures.length) {
  console.error(`\n${failures.length} check(s) failed:`);
  for (const f of failures.slice(0, 60)) console.error('  - ' + f);
  process.exit(1);
}
if (process.argv.includes('--check')) {
  let stale = 0;
  for (const [fn, text] of Object.entries(files)) {
    let cur = '';
    try { cur = readFileSync(join(OUT, fn), 'utf8'); } catch { /* missing */ }
    if (cur !== text) { console.error(`stale: data/catalog/${fn}`); stale++; }
  }
  process.exit(stale ? 1 : 0);
}
mkdirSync(OUT, { recursive: true });
let total = 0;
for (const [fn, text] of Object.entries(files)) {
  writeFileSync(join(OUT, fn), text);
  total += Buffer.byteLength(text);
}
console.log(`wrote data/catalog/{${Object.keys(files).join(',')}} (${(total / 1024).toFixed(0)} KiB)`);
