// i18n-auditlog.js - the strings of auditlog.html, the public view of the
// audit log's signed tree heads (issue 17): the latest head, the log's public
// key, the heads before it, and the proof that one record is in the tree.
// Chinese and English; importing it adds them to i18n.js's dictionary.
import { DICT } from './i18n.js';

export const zh = {
  'title.auditlog': '审计日志公示',
  'al.title': '审计日志公示',
  'al.intro': '本平台的每一次操作都记入审计日志。日志定期汇总为一棵默克尔树（SM3），树根由平台以 SM2 密钥签名后在此公布。任何人都可以保存这些签名树头，日后要求平台证明新的日志包含旧的日志，从而发现日志是否被改写。',
  'al.none': '尚未生成签名树头（还没有封存任何审计记录）。',
  'al.latest': '最新签名树头',
  'al.size': '记录数',
  'al.time': '签名时间',
  'al.root': '树根（SM3）',
  'al.key': '签名密钥',
  'al.sig': '签名（SM2，Base64）',
  'al.pubkey': '平台审计公钥（PEM）',
  'al.heads': '历次签名树头',
  'al.col.size': '记录数',
  'al.col.time': '签名时间',
  'al.col.root': '树根',
  'al.prove': '查验一条记录',
  'al.prove.help': '输入审计记录编号，取得该记录在最新树中的存在性证明（RFC 9162 审计路径）。',
  'al.seq': '记录编号',
  'al.prove.go': '取得证明',
  'al.proof.leaf': '叶子位置',
  'al.proof.hash': '记录哈希',
  'al.proof.path': '审计路径（{n} 个节点）',
  'al.proof.notFound': '没有这条审计记录。',
  'al.proof.notYet': '这条记录尚未封存到已签名的树中，请稍后再试。',
  'al.proof.invalid': '请输入正整数的记录编号。',
  'al.link': '审计日志公示',
};

export const en = {
  'title.auditlog': 'Audit log transparency',
  'al.title': 'Audit log transparency',
  'al.intro': 'Every action on this platform is written to its audit log. The log is sealed regularly into a Merkle tree (SM3) whose root the platform signs with its SM2 key and publishes here. Anyone can keep these signed tree heads and later ask the platform to prove that the new log contains the old one, which shows whether the log was rewritten.',
  'al.none': 'No signed tree head yet (no audit record has been sealed).',
  'al.latest': 'Latest signed tree head',
  'al.size': 'Records',
  'al.time': 'Signed at',
  'al.root': 'Root (SM3)',
  'al.key': 'Signing key',
  'al.sig': 'Signature (SM2, base64)',
  'al.pubkey': 'The platform\'s audit public key (PEM)',
  'al.heads': 'Signed tree heads so far',
  'al.col.size': 'Records',
  'al.col.time': 'Signed at',
  'al.col.root': 'Root',
  'al.prove': 'Check one record',
  'al.prove.help': 'Enter an audit record number to get the proof that it is in the latest tree (an RFC 9162 audit path).',
  'al.seq': 'Record number',
  'al.prove.go': 'Get the proof',
  'al.proof.leaf': 'Leaf index',
  'al.proof.hash': 'Record hash',
  'al.proof.path': 'Audit path ({n} nodes)',
  'al.proof.notFound': 'There is no such audit record.',
  'al.proof.notYet': 'This record is not sealed into a signed tree yet; please try again later.',
  'al.proof.invalid': 'Enter the record number as a positive whole number.',
  'al.link': 'Audit log transparency',
};

Object.assign(DICT['zh-CN'], zh);
Object.assign(DICT.en, en);
