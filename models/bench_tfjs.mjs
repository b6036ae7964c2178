#!/usr/bin/env node
// Times the TF.js reference (the pinned @upscalerjs model, TF.js 4.11 wasm
// backend, in Node) on one raw RGB image, for enhance/upscale_bench's speed
// table (it calls this script in the same run, on the same pixels).
//
//   node models/bench_tfjs.mjs --model esrgan-slim --scale 4 --input img.u8 \
//        --height 128 --width 128 [--repeat 1] [--backend wasm] [--threads N]
//
// img.u8: raw uint8 H×W×3 RGB. Prints progress on stderr and one JSON line on
// stdout: {"model", "scale", "backend", "simd", "threads", "seconds" (best of
// --repeat after a warm-up on an 8×8 input), "load_seconds"}.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, 'package.json'));
const tf = require('@tensorflow/tfjs');
const wasm = require('@tensorflow/tfjs-backend-wasm');

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const name = opt('--model', 'esrgan-slim');
const scale = Number(opt('--scale', '4'));
const h = Number(opt('--height', '0'));
const w = Number(opt('--width', '0'));
const repeat = Number(opt('--repeat', '1'));
const backend = opt('--backend', 'wasm');
const threads = opt('--threads', null);

const manifest = JSON.parse(fs.readFileSync(path.join(here, 'manifest.json'), 'utf8'));
const entry = manifest.models.find((m) => m.name === name && m.scale === scale);
if (!entry) throw new Error(`${name} x${scale} not in models/manifest.json`);

// The package's model.json and weight shards as an in-memory IOHandler
// (setup.sh has verified their checksums).
function handler() {
  const mjPath = path.join(here, 'node_modules', ...entry.package.split('/'), entry.model_json);
  return {
    load: async () => {
      const mj = JSON.parse(fs.readFileSync(mjPath, 'utf8'));
      const weightSpecs = [];
      const bufs = [];
      for (const g of mj.weightsManifest) {
        weightSpecs.push(...g.weights);
        for (const p of g.paths) bufs.push(fs.readFileSync(path.join(path.dirname(mjPath), p)));
      }
      const all = Buffer.concat(bufs);
      return {
        modelTopology: mj.modelTopology,
        weightSpecs,
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
      };
    },
  };
}

async function main() {
  if (backend === 'wasm') {
    wasm.setWasmPaths(path.join(here, 'node_modules/@tensorflow/tfjs-backend-wasm/dist') + path.sep);
    if (threads) wasm.setThreadsCount(Number(threads));
  }
  if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} unavailable`);
  await tf.ready();
  const t0 = performance.now();
  let def = require(`${entry.package}/${entry.scale}x`);
  def = def.default || def;
  if (def.setup) await def.setup(tf);  // registers the RRDN's custom layers
  const model = await tf.loadLayersModel(handler());
  const loadSeconds = (performance.now() - t0) / 1000;

  const u8 = fs.readFileSync(opt('--input'));
  if (u8.length !== h * w * 3) throw new Error(`input has ${u8.length} bytes, not ${h}x${w}x3`);
  const k = entry.input_range === 255 ? 1 : 1 / 255;
  const x = tf.tidy(() => tf.tensor3d(u8, [h, w, 3], 'int32').toFloat().mul(k).expandDims(0));
  const run = async (input) => {
    const t = performance.now();
    const y = model.predict(input);
    await y.data();
    tf.dispose(y);
    return (performance.now() - t) / 1000;
  };
  const warm = tf.zeros([1, 8, 8, 3]);
  await run(warm);
  let best = Infinity;
  for (let i = 0; i < repeat; i++) {
    const s = await run(x);
    console.error(`tfjs ${name} x${scale} ${w}x${h}: ${s.toFixed(2)} s`);
    best = Math.min(best, s);
  }
  const info = {
    model: name, scale, backend: tf.getBackend(),
    simd: backend === 'wasm' ? tf.env().getBool('WASM_HAS_SIMD_SUPPORT') : null,
    threads: backend === 'wasm' ? wasm.getThreadsCount() : 1,
    seconds: Number(best.toFixed(4)), load_seconds: Number(loadSeconds.toFixed(3)),
  };
  console.log(JSON.stringify(info));
}

main().catch((e) => {
  console.error(`bench_tfjs: ${e.stack || e}`);
  process.exit(1);
});
