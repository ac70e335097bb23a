// Runs a Vensim .mdl model with SDEverywhere's JavaScript build and prints
// one JSON object: the time to parse and generate, the time per run (wall
// clock and CPU)
// of runModelSync, many runs in this process after a warm-up, the peak
// resident memory, and the recorded outputs, for cmd/benchtable to compare
// with stockflow's.
//
//   node run.mjs MODEL.mdl [--seconds S] [--outputs a,b[c,d],...]
//
// Output names are the model's own (population[r1]); several are
// separated by commas outside brackets.

// compile imports xlsx's default export and calls set_fs, which the
// CommonJS build of xlsx 0.18.5 (the registry's; compile's own dependency
// points outside the registry, see package.json's overrides) lacks: it
// reads files by itself. Supply a no-op before compile loads.
import XLSX from 'xlsx'
if (typeof XLSX.set_fs !== 'function') XLSX.set_fs = () => {}

import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const { parseAndGenerate } = await import('@sdeverywhere/compile')
const { createSynchronousModelRunner } = await import('@sdeverywhere/runtime')

const args = process.argv.slice(2)
let mdlPath, seconds = 3, outputNames = []
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--seconds') seconds = Number(args[++i])
  else if (args[i] === '--outputs') outputNames = args[++i].split(/,(?![^[]*\])/)
  else mdlPath = args[i]
}
if (!mdlPath) {
  console.error('usage: node run.mjs MODEL.mdl [--seconds S] [--outputs a,b[c,d],...]')
  process.exit(2)
}

const mdl = fs.readFileSync(mdlPath, 'utf8')
const buildDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stockflow-sde-'))
const spec = { inputVarNames: [], outputVarNames: outputNames }
let t0 = performance.now()
const code = await parseAndGenerate(mdl, 'vensim', spec, ['generateJS'], path.dirname(path.resolve(mdlPath)), 'model', buildDir)
const generateMs = performance.now() - t0
const jsPath = path.join(buildDir, 'model.js')
fs.writeFileSync(jsPath, code)
const load = (await import(pathToFileURL(jsPath).href)).default
const runner = createSynchronousModelRunner(await load())
fs.rmSync(buildDir, { recursive: true, force: true })

const outputs = runner.createOutputs()
const run = () => runner.runModelSync([], outputs)

// Warm up (the JIT), then time batches of runs until the time is up.
t0 = performance.now()
let warm = 0
while (warm < 20 || performance.now() - t0 < 1000 * Math.min(1, seconds / 3)) {
  run()
  warm++
}
const batch = Math.max(1, Math.round(warm / ((performance.now() - t0) / 100))) // ~0.1 s batches
// Wall-clock and CPU time (user + system, of the whole process) per run
// of each batch.
const perRun = [], cpuPerRun = []
t0 = performance.now()
while (performance.now() - t0 < 1000 * seconds) {
  const b0 = performance.now(), c0 = process.cpuUsage()
  for (let i = 0; i < batch; i++) run()
  const c = process.cpuUsage(c0)
  perRun.push((performance.now() - b0) / batch)
  cpuPerRun.push((c.user + c.system) / 1000 / batch)
}
perRun.sort((a, b) => a - b)
cpuPerRun.sort((a, b) => a - b)
const runs = perRun.length * batch

const series = {}
for (const s of outputs.varSeries) series[s.varId] = s.points.map(p => p.y)
const ids = {}
outputs.varIds.forEach((id, i) => { ids[outputNames[i] ?? id] = id })
console.log(JSON.stringify({
  node: process.version,
  generateMs,
  runs,
  msPerRunMin: perRun[0],
  msPerRunMedian: perRun[Math.floor(perRun.length / 2)],
  cpuMsPerRunMin: cpuPerRun[0],
  maxRSSKB: process.resourceUsage().maxRSS,
  series: Object.fromEntries(Object.entries(ids).map(([name, id]) => [name, series[id]]))
}))
