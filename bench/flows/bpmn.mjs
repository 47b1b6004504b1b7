// bench/flows/bpmn.mjs - the yardstick for ywtb's full case flow: bpmn-engine
// (npm) running the same fork/join process in memory.
//
//   submit -> accept -> (approve dept A || approve dept B) -> complete
//
// Each instance runs to completion: a start event, a task for acceptance, a
// parallel gateway forking two approval tasks, a joining gateway and an end
// event; the tasks are plain tasks that complete at once.  Prints
// one line: "bpmn-engine: N instances in S s = R instances/s".
//
//   node bench/flows/bpmn.mjs [seconds=10] [concurrency=16]
import { Engine } from 'bpmn-engine';

const source = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="ywtb">
  <process id="case" isExecutable="true">
    <startEvent id="submit" />
    <sequenceFlow id="f1" sourceRef="submit" targetRef="accept" />
    <task id="accept" />
    <sequenceFlow id="f2" sourceRef="accept" targetRef="fork" />
    <parallelGateway id="fork" />
    <sequenceFlow id="f3" sourceRef="fork" targetRef="approveA" />
    <sequenceFlow id="f4" sourceRef="fork" targetRef="approveB" />
    <task id="approveA" />
    <task id="approveB" />
    <sequenceFlow id="f5" sourceRef="approveA" targetRef="join" />
    <sequenceFlow id="f6" sourceRef="approveB" targetRef="join" />
    <parallelGateway id="join" />
    <sequenceFlow id="f7" sourceRef="join" targetRef="complete" />
    <endEvent id="complete" />
  </process>
</definitions>`;

const seconds = Number(process.argv[2] || 10);
const concurrency = Number(process.argv[3] || 16);

async function one(i) {
  const engine = new Engine({ name: `case-${i}`, source });
  await engine.execute();
  await new Promise((resolve, reject) => {
    if (engine.state === 'idle' || engine.stopped) return resolve();
    engine.once('end', resolve);
    engine.once('error', reject);
  });
}

const deadline = Date.now() + seconds * 1000;
let done = 0, next = 0;
const t0 = process.hrtime.bigint();
async function worker() {
  while (Date.now() < deadline) {
    await one(next++);
    done++;
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
const s = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`bpmn-engine: ${done} instances in ${s.toFixed(2)} s = ${(done / s).toFixed(1)} instances/s`);
