#!/usr/bin/env node
// scripts/gen-item-names-en.mjs - the English names of the service items
// (issue 15): data/catalog/item_names_en.json, made by rule from the Chinese
// item names in data/catalog/items.json and the glossary below; and of their
// materials and the materials' conditions (material_names_en.json), the same
// way with more words.
//
//   node scripts/gen-item-names-en.mjs           write the file
//   node scripts/gen-item-names-en.mjs --check   exit 1 when the file is stale
//                                                or an item is not translated
//
// Chinese item names (政务服务事项名称) are built from a small vocabulary:
// what it concerns (企业, 食品经营, 不动产 ...), what is done (设立登记,
// 许可, 备案, 审批, 申领 ...) and a variant in brackets （新办）（变更）（延续）
// （注销）（补证）.  The glossary maps each word - or, for the few names that
// do not decompose, the whole phrase - to its English, and a name is cut into
// glossary words by longest match from the left.  Chinese noun phrases put
// the head last, as English does, so the words keep their order ("食品经营
// 许可（注销）" -> "Food Business Permit (Deregistration)"); a word written
// "mid|lead" takes its lead form when it opens the name ("补领结婚证" ->
// "Replacement of ...").  Brackets become brackets, "、" becomes "and" (a
// list of three: "A, B and C"), and the result is set in title case.
// Every item must come out with no Chinese left: the script fails and names
// the words it could not translate otherwise; the seed (src/catalog/seed.c)
// refuses an item without an English name, and tests/api/catalog_en.test.js
// checks every item the server serves.
//
// Deterministic, no npm dependencies.  The catalog's seed reads the file.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ITEMS = join(ROOT, 'data', 'catalog', 'items.json');
const OUT = join(ROOT, 'data', 'catalog', 'item_names_en.json');
const MAT_OUT = join(ROOT, 'data', 'catalog', 'material_names_en.json');
const LTYPES = join(ROOT, 'data', 'catalog', 'license_types.json');
const BUNDLES = join(ROOT, 'data', 'catalog', 'bundles.json');

// zh=en or zh=mid|lead, one per line
const GLOSSARY = `
企业=enterprise
设立=establishment
登记=registration
变更=change
注销=deregistration
简易=simplified
备案=filing
章程=articles of association
董事=directors
监事=supervisors
经理=managers
分公司=branch company
个人独资企业=sole proprietorship
合伙企业=partnership
外商投资企业=foreign-invested enterprise
个体工商户=individual business
营业执照=business license
遗失补领=replacement after loss
补领=replacement|replacement of
换发=renewal
企业名称=enterprise name
自主申报=self-declaration
迁移=transfer
跨区迁入=moving in from another district
跨区迁出=moving out to another district
股权出质=equity pledge
年度报告=annual report
公示=publication
经营异常名录移出=removal from the list of abnormal operations
严重违法失信名单移出=removal from the list of serious violators
行政处罚信息=administrative penalty information
信用修复=credit restoration
市场主体=market entity
歇业=business suspension
撤销冒用他人身份信息取得的企业登记=revocation of an enterprise registration obtained with another person's identity
电子营业执照=electronic business license
申领=application
档案=archives
查询=inquiry
食品经营=food business
许可=permit
新办=new
延续=renewal
补证=certificate reissue
食品生产=food production
食品生产加工小作坊=small food processing workshop
仅销售预包装食品=sale of prepackaged food only
网络餐饮服务第三方平台分支机构=branch of a third-party online catering platform
药品零售=pharmaceutical retail
第三类=class III
第二类=class II
医疗器械经营=medical device business
医疗器械网络销售=online sale of medical devices
特种设备使用=special equipment use
特种设备安装改造修理告知=notification of special equipment installation, modification or repair
强制检定计量器具=measuring instruments under compulsory verification
其他组织统一社会信用代码赋码=unified social credit code assignment for other organizations
广告发布=advertising publication
商标专用权质押登记受理=acceptance of trademark pledge registration
专利资助=patent subsidy
申请=application
争议=dispute
裁决=ruling
专利侵权纠纷=patent infringement dispute
行政裁决=administrative ruling
徐汇区区长质量奖评审=Xuhui District Mayor's Quality Award review
消费者投诉举报受理=acceptance of consumer complaints and reports
食品药品安全=food and drug safety
违法行为=violation
举报奖励=reward for reporting
特种设备作业人员=special equipment operator
资格认定=qualification recognition
税务登记=tax registration
设立税务登记=tax registration on establishment
非“多证合一”纳税人=taxpayers outside "multiple certificates in one"
变更税务登记=change of tax registration
注销税务登记=deregistration of tax registration
清税申报=tax clearance declaration
跨区域涉税事项报告=report of cross-region tax matters
发票领用=invoice collection
发票增版增量=increase of invoice denomination and quantity
发票验（交）旧=inspection (return) of used invoices
发票缴销=invoice cancellation
增值税专用发票=special VAT invoice
增值税税控系统=VAT tax control system
最高开票限额=maximum invoicing limit
审批=approval
增值税一般纳税人=general VAT taxpayer
存款账户账号报告=deposit account number report
财务会计制度及核算软件备案报告=filing report of financial accounting system and accounting software
停业=business suspension
复业=business resumption
对纳税人延期缴纳税款的核准=approval of deferred tax payment
对纳税人延期申报的核准=approval of deferred tax filing
对纳税人变更纳税定额的核准=approval of a change to a taxpayer's fixed tax quota
对采取实际利润额预缴以外的其他企业所得税预缴方式的核定=determination of enterprise income tax prepayment other than by actual profit
非正常户解除=lifting of abnormal taxpayer status
增值税=value-added tax
征收=collection
企业所得税=enterprise income tax
消费税=consumption tax
城市维护建设税=urban maintenance and construction tax
教育费附加=education surcharge
印花税=stamp duty
房产税=property tax
城镇土地使用税=urban land use tax
土地增值税=land value-added tax
环境保护税=environmental protection tax
契税=deed tax
残疾人就业保障金=disability employment security fund
文化事业建设费=cultural undertakings construction fee
社会保险费=social insurance contributions
单位=employer
个人所得税=individual income tax
扣缴申报=withholding declaration
出口退（免）税=export tax refund (exemption)
申报=declaration
增值税期末留抵退税申请=application for refund of retained VAT credits
误收多缴退抵税=refund or offset of tax collected in error or overpaid
困难减免=hardship relief
研发费用加计扣除优惠享受=super deduction of R&D expenses
开具=issuance|issuance of
无欠税证明=certificate of no tax arrears
中国税收居民身份证明=China tax resident certificate
服务贸易等项目对外支付税务备案=tax filing of outbound payments for service trade and other items
定期定额核定=fixed-quota assessment
纳税信用修复=tax credit restoration
房屋交易税收申报=housing transaction tax declaration
个人所得税综合所得汇算清缴=annual reconciliation of individual income tax on comprehensive income
个人所得税专项附加扣除信息采集=collection of special additional deductions for individual income tax
税收完税证明=tax payment certificate
车辆购置税=vehicle purchase tax
灵活就业人员=flexible workers
缴纳=payment
代开增值税发票=VAT invoice issued on behalf
自然人=natural persons
社保开户登记=social insurance account opening
单位社会保险登记变更=change of employer social insurance registration
单位社会保险注销登记=deregistration of employer social insurance
职工社会保险增员=adding employees to social insurance
职工社会保险减员=removing employees from social insurance
社会保险缴费基数申报=declaration of the social insurance contribution base
劳务派遣经营=labor dispatch business
人力资源服务=human resources service
人力资源服务机构=human resources service agency
企业实行不定时工作制和综合计算工时工作制审批=approval of flexible and comprehensive working hours for enterprises
民办职业培训学校=private vocational training school
终止=termination
工伤认定=work injury recognition
失业保险稳岗返还=unemployment insurance job stabilization refund
招用就业困难人员社会保险费补贴=social insurance subsidy for hiring people with employment difficulties
职业培训补贴=vocational training subsidy
企业职工=employees
就业见习补贴=employment internship subsidy
创业场地房租补贴=startup premises rent subsidy
首次创业一次性补贴=one-time subsidy for first-time entrepreneurs
公益性岗位补贴=public welfare job subsidy
企业新型学徒制培训补贴=enterprise new apprenticeship training subsidy
用人单位招用人员就业登记=employment registration of new hires
企业年金方案=enterprise annuity plan
集体合同审查=collective contract review
经济性裁员报告=economic layoff report
特殊工种提前退休审批=early retirement approval for special job types
职工正常退休申报=declaration of employee retirement
职业技能等级认定=vocational skill level assessment
机构=institution
失业保险金=unemployment benefits
社保登记=social insurance registration
失业登记=unemployment registration
就业创业证=employment and entrepreneurship certificate
社会保障卡=social security card
补卡换卡=replacement and renewal
社会保险个人权益记录查询打印=inquiry and printing of personal social insurance records
养老保险关系=pension insurance relationship
转移接续=transfer
基本养老金=basic pension
丧葬补助金=funeral grant
抚恤金=survivor pension
技能提升补贴=skill upgrading subsidy
工伤保险待遇=work injury insurance benefits
劳动能力鉴定=work capacity appraisal
劳动人事争议仲裁=labor and personnel dispute arbitration
劳动保障监察投诉=labor security inspection complaint
居住证积分=residence permit points
续办=renewal
人才引进落户=household registration for introduced talent
居住证转办常住户口申请=application to convert a residence permit into permanent household registration
职业介绍=job referral
就业困难人员认定=recognition of people with employment difficulties
建设工程规划许可证=construction project planning permit
核发=issuance
建设用地规划许可证=construction land planning permit
建设项目用地预审与选址意见书=land pre-examination and site selection opinion for construction projects
建设工程=construction project
设计方案=design scheme
审核=review
竣工=completion
规划资源验收=planning and land resources acceptance
临时建设工程规划许可=temporary construction project planning permit
临时用地审批=temporary land use approval
国有建设用地使用权=state-owned construction land use right
划拨批准=allocation approval
不动产=real estate
首次登记=first registration
转移登记=transfer registration
抵押权登记=mortgage registration
在建建筑物抵押权登记=mortgage registration of buildings under construction
地役权登记=easement registration
注销登记=deregistration
土地权属争议调处=land ownership dispute mediation
测绘地理信息成果提供=provision of surveying and geographic information
继承=inheritance
受遗赠=bequest
赠与=gift
变更登记=change registration
预购商品房预告登记=advance notice registration of pre-purchased commercial housing
更正登记=correction registration
异议登记=objection registration
不动产权证书补证换证=reissue and replacement of real estate title certificates
登记资料=registration records
商品房预售许可=commercial housing pre-sale permit
房地产开发企业资质核定=real estate developer qualification approval
新建商品房买卖合同网签备案=online signing and filing of new commercial housing sales contracts
商品房现售备案=commercial housing spot sale filing
商品房预售资金监管=supervision of commercial housing pre-sale funds
前期物业服务合同备案=preliminary property service contract filing
物业承接查验备案=property takeover inspection filing
业主大会成立备案=owners' assembly establishment filing
住宅专项维修资金使用审核=review of the use of residential special maintenance funds
住房租赁企业开业报告=housing rental enterprise opening report
房地产经纪机构备案=real estate agency filing
优秀历史建筑修缮工程审批=heritage building repair approval
公有非居住房屋租赁审批=public non-residential housing lease approval
房屋买卖合同网签备案=online signing and filing of housing sales contracts
房屋租赁合同登记备案=housing lease contract registration and filing
公有住房=public housing
承租人变更=tenant change
差价交换=exchange with price difference
出售=sale
租赁凭证补发=lease certificate reissue
共有产权保障住房=shared-ownership affordable housing
廉租住房=low-rent housing
公共租赁住房=public rental housing
既有多层住宅加装电梯申请=application to install a lift in an existing multi-storey residential building
存量房交易资金监管=supervision of existing housing transaction funds
住宅室内装饰装修登记=residential interior decoration registration
建筑工程施工许可=building construction permit
延期=extension
建筑业企业资质核准=construction enterprise qualification approval
竣工验收备案=completion acceptance filing
质量安全监督申报=quality and safety supervision declaration
消防设计审查=fire protection design review
特殊建设工程消防验收=fire acceptance of special construction projects
消防验收备案=fire acceptance filing
排水许可=drainage permit
交通影响评价审查=traffic impact assessment review
道路货物运输经营许可=road freight transport business permit
占用、挖掘城市道路许可=permit to occupy or excavate city roads
依附于城市道路建设各种管线、杆线等设施审批=approval of pipelines, poles and other facilities along city roads
拆除、改动城镇排水与污水处理设施审批=approval to remove or alter urban drainage and sewage facilities
改动燃气设施审批=approval to alter gas facilities
河道管理范围内建设项目工程建设方案审批=approval of construction plans within river management areas
取水许可=water abstraction permit
公共停车场（库）经营备案=public car park (garage) operation filing
招标文件备案=tender document filing
招标投标情况书面报告备案=filing of the written bidding report
施工合同备案=construction contract filing
施工图设计文件审查备案=construction drawing design review filing
建筑起重机械=construction crane
产权备案=ownership filing
使用登记=use registration
房屋建筑和市政基础设施工程竣工联合验收=joint completion acceptance of building and municipal infrastructure projects
竣工档案验收=completion archive acceptance
机动车维修经营备案=motor vehicle repair business filing
质量投诉=quality complaint
医疗机构=medical institution
设置审批=establishment approval
执业登记=practice registration
校验=inspection
诊所备案=clinic filing
中医诊所备案=traditional Chinese medicine clinic filing
公共场所卫生许可=public place hygiene permit
放射诊疗许可=radiological diagnosis and treatment permit
放射性职业病危害建设项目=construction project with radiological occupational hazards
预评价报告审核=pre-assessment report review
竣工验收=completion acceptance
母婴保健技术服务执业许可=maternal and infant health care service practice permit
供水单位卫生许可=water supply hygiene permit
医疗机构麻醉药品、第一类精神药品购用印鉴卡核发=issuance of purchase seal cards for narcotic and class I psychotropic drugs to medical institutions
外国医师来华短期行医许可=short-term medical practice permit for foreign physicians
托育机构备案=childcare institution filing
养老机构内设医疗机构备案=filing of medical institutions within elderly care institutions
职业健康检查机构备案=occupational health examination institution filing
消毒服务机构备案=disinfection service institution filing
出生医学证明=birth medical certificate
首次签发=first issuance
补发=reissue
医师执业注册=physician practice registration
医师变更执业注册=change of physician practice registration
护士执业注册=nurse practice registration
护士延续注册=nurse registration renewal
护士变更注册=change of nurse registration
独生子女父母光荣证=only-child parents' honor certificate
独生子女父母年老一次性计划生育奖励=one-time family planning reward for elderly parents of an only child
计划生育家庭特别扶助金=family planning special assistance
生育登记=childbirth registration
预防接种证补办=vaccination certificate reissue
从业人员健康检查=health examination for workers
健康证明=health certificate
排污许可=pollutant discharge permit
固定污染源排污登记=fixed pollution source discharge registration
建设项目环境影响=construction project environmental impact
报告书审批=report approval
报告表审批=report form approval
登记表备案=registration form filing
建设项目环境影响评价文件重新审核=re-review of construction project environmental impact assessment documents
辐射安全许可=radiation safety permit
夜间建筑施工作业审批=night construction work approval
突发环境事件应急预案备案=environmental emergency response plan filing
危险废物管理计划备案=hazardous waste management plan filing
生态环境问题投诉举报=eco-environmental complaints and reports
生态环境违法行为举报奖励=reward for reporting eco-environmental violations
民办学校=private school
民办幼儿园=private kindergarten
分立、合并审批=division or merger approval
办学许可证=operating license
校车使用许可=school bus use permit
教师资格认定=teacher qualification recognition
教师资格证书=teacher qualification certificate
适龄儿童小学入学登记=primary school enrollment of school-age children
初中入学信息登记=junior high school enrollment information registration
随迁子女义务教育入学资格审核=compulsory education eligibility review for migrant children
幼儿园入园登记=kindergarten enrollment registration
中小学生转学=school transfer of primary and secondary students
家庭经济困难学生资助申请=financial aid application for students from low-income families
普通话水平测试报名=Putonghua proficiency test registration
娱乐场所经营许可=entertainment venue business permit
文艺表演团体营业性演出许可=commercial performance permit for performing arts groups
营业性演出活动=commercial performance
演出场所经营单位备案=performance venue operator filing
网络文化经营许可=online culture business permit
出版物零售经营许可=publication retail business permit
印刷经营许可=printing business permit
艺术品经营单位备案=art dealer filing
互联网上网服务营业场所=internet café
经营许可=business permit
电影放映单位设立审批=cinema establishment approval
在区级文物保护单位保护范围内进行其他建设工程或者爆破、钻探、挖掘等作业审批=approval of construction, blasting, drilling or excavation within the protection area of a district-level heritage site
区级文物保护单位修缮审批=district-level heritage site repair approval
旅行社分社设立备案=travel agency branch establishment filing
旅行社服务网点备案=travel agency service outlet filing
设置卫星电视广播地面接收设施审批=approval to install satellite TV receiving facilities
个体演员备案=individual performer filing
危险化学品经营许可=hazardous chemicals business permit
第三类非药品类易制毒化学品经营备案=class III non-pharmaceutical precursor chemicals business filing
生产安全事故应急预案备案=work safety accident emergency plan filing
危险化学品建设项目安全条件审查=safety condition review of hazardous chemicals construction projects
安全生产违法行为举报奖励=reward for reporting work safety violations
自然灾害受灾人员救助=relief for natural disaster victims
公众聚集场所投入使用、营业前消防安全检查=fire safety inspection of public gathering places before use or opening
消防安全重点单位申报备案=declaration and filing of key fire safety units
消防安全培训预约=fire safety training booking
火灾事故认定=fire accident determination
复核=review
消防安全违法行为举报投诉=fire safety violation reports and complaints
人防工程=civil air defense works
防空地下室易地建设审批=approval of off-site construction of air-raid basements
拆除人防工程审批=approval to demolish civil air defense works
平时使用备案=peacetime use filing
绿化审批=greening approval
建设项目配套绿化竣工验收备案=completion acceptance filing of construction project greenery
临时占用城市绿地审批=approval to temporarily occupy urban green space
砍伐、迁移城市树木审批=approval to fell or move city trees
户外广告设施设置审批=outdoor advertising facility approval
户外招牌设置备案=outdoor signboard filing
城市建筑垃圾处置核准=urban construction waste disposal approval
从事城市生活垃圾经营性清扫、收集、运输服务审批=approval of commercial sweeping, collection and transport of municipal waste
在城市建筑物、设施上张挂、张贴宣传品审批=approval to hang or post publicity materials on urban buildings and facilities
非居民生活垃圾处理费征收=collection of non-residential waste treatment fees
餐厨废弃油脂收运申报=kitchen waste oil collection and transport declaration
居民身份证=resident identity card
首次申领=first application
换领=renewal
临时居民身份证=temporary resident identity card
居住证=residence permit
办理=application
签注=endorsement
信息变更=information change
出生登记=birth registration
申报户口=household registration
户口迁移=household registration transfer
市内迁移=within the city
外省市迁入=from another province
死亡注销户口=household deregistration after death
居民户口簿=household register
补领换领=replacement and renewal
分户=household division
户籍信息变更更正=change and correction of household registration information
无犯罪记录证明=certificate of no criminal record
往来港澳通行证=exit-entry permit for Hong Kong and Macao
往来台湾通行证=travel permit to Taiwan
普通护照=ordinary passport
养犬登记=dog registration
电动自行车登记=electric bicycle registration
印章刻制备案=seal engraving filing
旅馆业特种行业许可=hotel special trade permit
公章刻制业特种行业许可=seal engraving special trade permit
典当业特种行业许可=pawnbroking special trade permit
大型群众性活动安全许可=large-scale public event safety permit
剧毒化学品购买许可=highly toxic chemicals purchase permit
互联网上网服务营业场所信息网络安全审核=network security review of internet cafés
易制爆危险化学品从业单位备案=filing of businesses handling explosive precursor chemicals
第二类、第三类易制毒化学品购买备案=class II and III precursor chemicals purchase filing
自行招用保安员单位备案=filing of employers of in-house security guards
网络安全等级保护备案=cybersecurity classified protection filing
结婚登记=marriage registration
离婚登记=divorce registration
补领结婚证、离婚证=replacement of a marriage or divorce certificate
婚姻登记证明=marriage registration certificate
收养登记=adoption registration
解除收养登记=adoption dissolution registration
最低生活保障申请=minimum living allowance application
特困人员救助供养申请=support application for people in extreme poverty
临时救助申请=temporary assistance application
支出型贫困家庭生活救助申请=living assistance application for families impoverished by expenses
低收入困难家庭认定=low-income family recognition
老年综合津贴申请=elderly comprehensive allowance application
居家养老服务补贴申请=home-based elderly care subsidy application
老年照护统一需求评估申请=elderly care needs assessment application
基本殡葬服务费用减免=basic funeral service fee waiver
社会团体登记=social organization registration
成立=establishment
民办非企业单位登记=private non-enterprise unit registration
养老机构备案=elderly care institution filing
社会组织年度报告=social organization annual report
慈善组织认定=charity recognition
慈善组织公开募捐方案备案=charity public fundraising plan filing
社会团体章程核准=approval of social organization articles
地名命名、更名审批=place naming and renaming approval
医保定点医疗机构申请=application for medical insurance designated institution status
医保定点零售药店申请=application for medical insurance designated pharmacy status
长期护理保险定点护理服务机构申请=application for long-term care insurance designated provider status
城乡居民基本医疗保险参保登记=enrollment in urban and rural residents' basic medical insurance
跨省异地就医登记备案=registration for medical treatment in another province
医疗费用零星报销=reimbursement of individual medical expenses
生育生活津贴申领=maternity allowance application
生育医疗费补贴申领=maternity medical expense subsidy application
门诊大病登记=outpatient serious illness registration
长期护理保险待遇申请=long-term care insurance benefit application
医疗救助申请=medical assistance application
医疗保险关系转移接续=medical insurance relationship transfer
职工医保个人账户家庭共济=family sharing of employee medical insurance accounts
医疗保障参保凭证打印=printing of medical security enrollment certificate
住房公积金=housing provident fund
单位登记=employer registration
单位信息变更=employer information change
单位注销登记=employer deregistration
职工住房公积金账户设立=opening of employee housing provident fund accounts
缴存基数调整=contribution base adjustment
降低住房公积金缴存比例或缓缴审批=approval to lower the housing provident fund contribution rate or defer contributions
补充住房公积金单位登记=supplementary housing provident fund employer registration
提取=withdrawal
购买自住住房=buying a home to live in
租赁自住住房=renting a home to live in
偿还住房贷款本息=repaying a housing loan
离退休、出境定居=retirement or settling abroad
贷款申请=loan application
个人账户转移=personal account transfer
个人住房公积金缴存证明=personal housing provident fund contribution certificate
贷款提前还款=early loan repayment
酒类商品零售许可=alcohol retail permit
酒类商品批发许可=alcohol wholesale permit
再生资源回收经营者备案=recycling business filing
单用途商业预付卡备案=single-purpose prepaid card filing
外商投资信息报告=foreign investment information report
商务发展专项资金扶持申请=commerce development special fund application
美容美发经营者备案=beauty and hairdressing business filing
洗染业经营者备案=laundry and dyeing business filing
外国人来华工作许可=work permit for foreigners in China
外国高端人才确认函=foreign high-end talent confirmation letter
技术合同认定登记=technology contract recognition and registration
高新技术企业认定推荐=high-tech enterprise recognition recommendation
技术先进型服务企业认定=advanced technology service enterprise recognition
科技型中小企业评价入库=technology-based SME evaluation and listing
科技企业孵化器认定=technology business incubator recognition
高新技术企业认定奖励=high-tech enterprise recognition reward
科技创新专项资金申请=science and technology innovation fund application
企业投资项目备案=enterprise investment project filing
企业投资项目核准=enterprise investment project approval
外商投资项目备案=foreign investment project filing
政府投资项目建议书审批=government investment project proposal approval
政府投资项目可行性研究报告审批=government investment project feasibility study approval
政府投资项目初步设计及概算审批=government investment project preliminary design and budget approval
固定资产投资项目节能审查=energy conservation review of fixed asset investment projects
价格认定=price determination
粮食收购备案=grain purchase filing
政府采购投诉处理=government procurement complaint handling
代理记账许可=bookkeeping agency permit
政府采购进口产品审核=review of imported products in government procurement
财政票据领用=fiscal receipt collection
会计人员信息采集=accountant information collection
法律援助申请=legal aid application
人民调解申请=people's mediation application
行政复议申请=administrative reconsideration application
基层法律服务工作者执业核准=practice approval of grassroots legal service workers
基层法律服务所设立核准=establishment approval of grassroots legal service offices
律师事务所设立初审=preliminary review of law firm establishment
高危险性体育项目经营许可=high-risk sports business permit
公共体育场馆免费或低收费开放补助申请=subsidy application for free or low-cost opening of public sports venues
举办健身气功活动及设立站点审批=approval of health qigong activities and sites
社会体育指导员技术等级认定=social sports instructor grade recognition
退役军人信息采集登记=veteran information registration
退役军人优待证申领=veteran preferential treatment card application
退役士兵自主就业一次性经济补助=one-time allowance for self-employed discharged soldiers
义务兵家庭优待金申领=conscript family allowance application
残疾军人伤残抚恤金申领=disability pension application for disabled service members
烈士遗属定期抚恤金申领=regular pension application for martyrs' survivors
重点优抚对象医疗补助申请=medical subsidy application for key entitled groups
参战退役人员生活补助申领=living allowance application for combat veterans
退役军人专场招聘会企业报名=enterprise registration for veterans' job fairs
残疾人证=disability certificate
困难残疾人生活补贴申请=living allowance application for disabled people in hardship
重度残疾人护理补贴申请=care subsidy application for severely disabled people
残疾人辅助器具适配申请=assistive device fitting application for disabled people
残疾人机动轮椅车燃油补贴申领=fuel subsidy application for motorized wheelchairs
用人单位安排残疾人就业情况审核=review of employers' employment of disabled people
超比例安排残疾人就业奖励=reward for employing disabled people above the quota
公共数据开放申请=public data access application
法人电子印章申领=legal entity electronic seal application
电子证照信息纠错=e-license information correction
法人=legal entity
个人=individual
“一网通办”实名认证等级提升="One Network" real-name level upgrade
银行开户信息告知=bank account opening notification
企业开办“一窗通”帮办服务=business start-up "one window" assistance service
重大项目审批代办服务=major project approval agency service
证照免费寄递服务=free certificate delivery service
个人事项“同城通办”预约=booking for personal matters "handled anywhere in the city"
政务服务“好差评”申诉复核=appeal review of government service "good or bad" ratings
企业诉求受理=acceptance of enterprise requests
营商环境专线=business environment hotline
市民诉求受理=acceptance of citizen requests
`;

// The materials (申请材料): whole names and words beyond the items' glossary
// and the e-license types' own English names (license_types.json).  Unlike the
// items, not every one of the 1,370 material names is covered yet: a name
// the words do not cover whole gets no English name (the portal shows the
// Chinese one), but every material of a bundle must be covered.
const MATERIAL_GLOSSARY = `
授权委托书及受托人身份证件=power of attorney and the agent's ID
申请人居民身份证=applicant's resident identity card
居民户口簿=household register
变更事项相关证明材料=supporting documents for the change
变更事项相关文件=documents on the change
变更事项证明材料=proof of the change
变更事项说明=statement of the change
不动产权证书=real estate title certificate
结婚证=marriage certificate
上海市居住证=Shanghai residence permit
不动产登记申请书=real estate registration application
纳税申报表（网上申报）=tax return (filed online)
财务会计报表及其说明材料=financial statements with notes
社会保障卡=social security card
经营场所使用证明=proof of use of the business premises
银行账户信息=bank account information
中华人民共和国残疾人证=disability certificate of the People's Republic of China
出生医学证明=birth medical certificate
劳动合同=employment contract
经办人居民身份证=resident identity card of the person handling it
房屋租赁合同登记备案证明=certificate of housing lease registration
清税证明=tax clearance certificate
经营场所不动产权证书=real estate title certificate of the business premises
股东会决议或股东决定=shareholders' resolution or decision
经营场所平面图=floor plan of the business premises
企业章程=articles of association
公有住房租赁凭证=public housing lease certificate
工程竣工验收报告=project completion acceptance report
业务主管单位的批准文件=approval of the supervising authority
住房公积金提取申请表=housing provident fund withdrawal application form
企业登记（备案）申请书=enterprise registration (filing) application
公司章程=articles of association
法定代表人、董事、监事和经理的任职文件=appointment documents of the legal representative, directors, supervisors and managers
自然人股东、投资人居民身份证=resident identity cards of natural-person shareholders and investors
法人股东营业执照=business license of corporate shareholders
住所不动产权证书=real estate title certificate of the domicile
住所租赁合同复印件=copy of the domicile lease contract
印章样式及印模信息=seal design and impression
发票专用章印模=impression of the invoice seal
“多证合一”登记信息确认表=confirmation form of "multiple certificates in one" registration information
发票领用申请表=invoice collection application form
社会保险登记表（单位）=social insurance registration form (employer)
住房公积金单位缴存登记表=housing provident fund employer contribution registration form
开户银行及账户信息（一窗通同步推送）=bank and account information (passed on by the "one window" system)
法定代表人（负责人）居民身份证=resident identity card of the legal representative (person in charge)
税收完税证明=tax payment certificate
交通影响评价审查申请表=traffic impact assessment review application form
交通组织方案图=traffic organization plan
人防工程审批申请表=civil air defense works approval application form
建设工程施工图（规划部分）及电子文件=construction drawings (planning part) and their electronic files
建设工程规划许可证核发申请表=construction project planning permit application form
建设工程设计方案=construction project design scheme
建设工程设计方案批复文件=approval of the construction project design scheme
建设项目交通影响评价报告=traffic impact assessment report of the construction project
建设项目总平面图=site plan of the construction project
建设项目绿化设计方案=greening design of the construction project
房屋买卖合同网签备案申请表=application form for online signing and filing of a housing sales contract
房屋买卖合同（网签备案）=housing sales contract (signed and filed online)
房屋买卖合同（网签）=housing sales contract (signed online)
房屋交易涉税申报表=housing transaction tax declaration form
房屋原值凭证=proof of the original value of the house
排水户内部排水管网、专用检测井、污水排放口位置和口径的图纸及说明=drawings and description of the internal drainage network, inspection wells and sewage outlets
排水水质、水量检测报告=drainage water quality and quantity test report
排水许可申请表=drainage permit application form
消防设计审查申请表=fire protection design review application form
消防设计文件=fire protection design documents
特殊消防设计技术资料=technical documents of the special fire protection design
结合民用建筑修建防空地下室设计文件=design documents of air-raid basements built with civil buildings
绿化审批申请表=greening approval application form
绿地面积计算书=green area calculation
预处理设施说明=description of the pretreatment facilities
住所为租赁房屋的=if the domicile is rented
住所为自有房屋的=if the domicile is owned
委托他人代为办理的=if someone else applies on your behalf
已取得国有建设用地使用权的=if the state-owned construction land use right has been obtained
已取得的=if already obtained
已开立基本存款账户的=if a basic deposit account has been opened
投资人为企业法人的=if an investor is a legal entity
投资人为自然人的=if an investor is a natural person
按实际所得申报个人所得税的=if individual income tax is declared on actual income
按规定需要提供的=if the rules require it
权利人已婚的=if the right holder is married
申请人需证明家庭成员关系的=if the applicant must prove family relations
申请家庭住房契税优惠且已婚的=if the household applies for the deed tax relief and is married
申请家庭唯一住房或首套住房契税优惠的=if the household applies for the deed tax relief on its only or first home
购房人已婚的=if the buyer is married
购房人需核验购房资格的=if the buyer's eligibility to buy must be checked
转让存量房的，提供卖方不动产权证书=when an existing home is sold: the seller's real estate title certificate
采用特殊消防设计的=if a special fire protection design is used
需建设预处理设施的=if pretreatment facilities must be built
近期一寸免冠照片=recent one-inch bareheaded photo
近期二寸免冠白底彩色照片=recent two-inch bareheaded color photo on white
近期彩色证件照片（可现场采集）=recent color ID photo (can be taken on site)
举报奖励申请表=reward application form for reporting
产品合格证=product certificate of conformity
学历证书=diploma
申请表=application form
申请书=application
复印件=copy
证明=certificate
`;

const HAN = /[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’]/;
function parseGlossary(text, into = new Map()) {
  const own = new Set();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const eq = line.indexOf('=');
    const zh = line.slice(0, eq), en = line.slice(eq + 1);
    if (own.has(zh)) throw new Error(`glossary: ${zh} twice`);
    own.add(zh);
    const [mid, lead] = en.split('|');
    into.set(zh, { mid, lead: lead || mid });
  }
  return into;
}
const gloss = parseGlossary(GLOSSARY);
let longest = Math.max(...[...gloss.keys()].map((k) => k.length));
const PUNCT = { '（': '(', '）': ')', '、': '、', '“': '"', '”': '"' };
const SMALL = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'from', 'in', 'into', 'of', 'on', 'or', 'the', 'to', 'with', 'within', 'after', 'other', 'than']);

// Cut a Chinese name into glossary words; the characters no word covers go to missing.
function translate(name, used, missing, words, title = true) {
  const out = [];
  let i = 0, gap = '';
  while (i < name.length) {
    let hit = null;
    for (let n = Math.min(longest, name.length - i); n > 0; n--) {
      const w = name.slice(i, i + n);
      if (words.has(w)) { hit = w; break; }
    }
    if (hit) {
      if (gap) { missing.add(gap); gap = ''; }
      used.add(hit);
      const g = words.get(hit);
      out.push({ w: out.length === 0 ? g.lead : g.mid });
      i += hit.length;
    } else if (PUNCT[name[i]]) {
      if (gap) { missing.add(gap); gap = ''; }
      out.push({ p: PUNCT[name[i]] });
      i++;
    } else {
      gap += name[i++];
    }
  }
  if (gap) missing.add(gap);
  // join: words by spaces; "(" opens, ")" closes; "、" is "and"; a quote hugs its word
  let s = '';
  let quoteOpen = false;
  for (const t of out) {
    if (t.w !== undefined) s += (s && !s.endsWith('(') && !(quoteOpen && s.endsWith('"')) ? ' ' : '') + t.w;
    else if (t.p === '(') s += (s ? ' ' : '') + '(';
    else if (t.p === ')') s += ')';
    else if (t.p === '、') s += ' and';
    else if (t.p === '"') { s += quoteOpen ? '"' : (s ? ' ' : '') + '"'; quoteOpen = !quoteOpen; }
  }
  s = s.replace(/(\w[^()]*?) and ([^()]*?) and /g, '$1, $2 and ').replace(/\b(application) application form\b/gi, '$1 form');
  return title ? titleCase(s) : s;
}

function titleCase(s) {
  let first = true;
  return s.replace(/\p{L}[\p{L}'-]*/gu, (w, at) => {
    const lower = w.toLowerCase();
    const opensBracket = at > 0 && (s[at - 1] === '(' || s[at - 1] === '"');
    const keep = /[A-Z].*[A-Z]/.test(w) || /^[A-Z]{2,}/.test(w); // VAT, SME, III, R&D
    let r;
    if (keep) r = w;
    else if (!first && !opensBracket && SMALL.has(lower)) r = lower;
    else r = w[0].toUpperCase() + w.slice(1);
    first = false;
    return r;
  });
}

const items = JSON.parse(readFileSync(ITEMS, 'utf8'));
const used = new Set(), missing = new Set();
const names = {};
for (const it of items) names[it.name] = translate(it.name, used, missing, gloss);
const failures = [];
for (const [zh, en] of Object.entries(names))
  if (!en || HAN.test(en)) failures.push(`${zh} -> ${en}`);
for (const m of missing) failures.push(`no glossary word for "${m}"`);
for (const w of gloss.keys()) if (!used.has(w)) failures.push(`glossary word ${w} is used by no item`);
// materials: the items' words, the e-license types' names, then the materials' own
const matGloss = new Map(gloss);
for (const t of JSON.parse(readFileSync(LTYPES, 'utf8'))) matGloss.set(t.name, { mid: t.name_en, lead: t.name_en });
parseGlossary(MATERIAL_GLOSSARY, matGloss);
longest = Math.max(...[...matGloss.keys()].map((k) => k.length));
const matNames = {}, condNames = {};
const inBundles = new Set(JSON.parse(readFileSync(BUNDLES, 'utf8')).flatMap((b) => b.steps.flatMap((st) => st.items)));
let matTotal = 0, matDone = 0;
for (const it of items) {
  for (const m of it.materials) {
    const miss = new Set();
    const en = translate(m.name, new Set(), miss, matGloss);
    matTotal++;
    if (!miss.size && !HAN.test(en)) {
      matNames[m.name] = en;
      matDone++;
    } else if (inBundles.has(it.code)) {
      failures.push(`bundle material ${it.code} ${m.code} "${m.name}": no words for ${[...miss].join(', ')}`);
    }
    if (m.condition) {
      const cm = new Set();
      const ce = translate(m.condition, new Set(), cm, matGloss, false);
      if (!cm.size && !HAN.test(ce)) condNames[m.condition] = ce;
      else if (inBundles.has(it.code)) failures.push(`bundle material ${it.code} ${m.code}: condition "${m.condition}" not covered`);
    }
  }
}
if (failures.length) {
  console.error(`${failures.length} problem(s):`);
  for (const f of failures.slice(0, 80)) console.error('  - ' + f);
  process.exit(1);
}
const obj = (o, indent = '  ') => '{\n' + Object.entries(o).map(([zh, en]) => `${indent}${JSON.stringify(zh)}: ${JSON.stringify(en)}`).join(',\n') + `\n${indent.slice(2)}}`;
const files = {
  [OUT]: obj(names) + '\n',
  [MAT_OUT]: `{\n  "materials": ${obj(matNames, '    ')},\n  "conditions": ${obj(condNames, '    ')}\n}\n`,
};
const summary = `${items.length} items from ${gloss.size} glossary words; materials: ${matDone} of ${matTotal} named in English ` +
  `(${Object.keys(matNames).length} distinct names, ${Object.keys(condNames).length} conditions), every bundle material included`;
if (process.argv.includes('--check')) {
  let stale = 0;
  for (const [f, text] of Object.entries(files)) {
    let cur = '';
    try { cur = readFileSync(f, 'utf8'); } catch { /* missing */ }
    if (cur !== text) { console.error(`stale: ${f.slice(ROOT.length + 1)}`); stale++; }
  }
  if (stale) process.exit(1);
  console.log(`English names up to date: ${summary}`);
} else {
  for (const [f, text] of Object.entries(files)) writeFileSync(f, text);
  console.log(`wrote data/catalog/item_names_en.json and material_names_en.json: ${summary}`);
}
