#!/usr/bin/env node
// Golden outputs from the reference implementation (TF.js, from npm), used
// only when (re)generating tests/data/goldens/. Nothing at run time needs it.
//
//   npm ci --prefix models
//   node models/make_goldens.mjs [--backend wasm|cpu] [--out tests/data/goldens]
//                                [--cross-check]   # also run the cpu backend, print PSNR
//
// It verifies the model files against models/manifest.json, loads each chosen
// model with tf.loadLayersModel from the package files (custom layers are
// registered by the package's own definition: @upscalerjs/esrgan-thick/<s>x
// .setup(tf)), runs it on tiny crops of a real photo (cut by
// models/golden_crops.py with /usr/bin/python3) and writes raw float32
// tensors plus an index, goldens.json. Format: tests/data/goldens/README.md.
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const require = createRequire(path.join(here, 'package.json'));
const tf = require('@tensorflow/tfjs');
const wasm = require('@tensorflow/tfjs-backend-wasm');

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const backend = opt('--backend', 'wasm');
const outDir = path.resolve(opt('--out', path.join(repo, 'tests/data/goldens')));
const crossCheck = args.includes('--cross-check');

// model (file base) -> crops. One model of each family plus x8 ones; the
// non-square crop catches H/W mix-ups, the flag catches channel-order ones.
const CROP_SQ = 'astronaut_y96_x200_16x16';
const CROP_NS = 'astronaut_y320_x80_12x20';
const CASES = [
  ['esrgan-slim-x2', [CROP_SQ, CROP_NS]],
  ['esrgan-medium-x3', [CROP_SQ, CROP_NS]],
  ['esrgan-thick-x4', [CROP_SQ, CROP_NS]],
  ['esrgan-slim-x8', [CROP_SQ]],
  ['esrgan-thick-x8', [CROP_NS]],
];

const manifest = JSON.parse(fs.readFileSync(path.join(here, 'manifest.json'), 'utf8'));
const entryOf = (base) => {
  const e = manifest.models.find((m) => m.file === `${base}.pt`);
  if (!e) throw new Error(`${base} not in manifest`);
  return e;
};

function loadHandler(entry) {
  const pdir = path.join(here, 'node_modules', ...entry.package.split('/'));
  const pkgVersion = JSON.parse(fs.readFileSync(path.join(pdir, 'package.json'), 'utf8')).version;
  if (pkgVersion !== entry.version) throw new Error(`${entry.package} is ${pkgVersion}, want ${entry.version}`);
  for (const [rel, want] of Object.entries(entry.files)) {
    const got = createHash('sha256').update(fs.readFileSync(path.join(pdir, rel))).digest('hex');
    if (got !== want) throw new Error(`CHECKSUM MISMATCH for ${path.join(pdir, rel)}`);
  }
  const mjPath = path.join(pdir, entry.model_json);
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
        format: mj.format,
        generatedBy: mj.generatedBy,
        convertedBy: mj.convertedBy,
      };
    },
  };
}

async function loadModel(entry) {
  // the package's own model definition (registers MultiplyBeta / PixelShuffle{s}x)
  let def = require(`${entry.package}/${entry.scale}x`);
  def = def.default || def;
  if (def.setup) await def.setup(tf);
  if (def.inputRange[1] !== entry.input_range) throw new Error('input range disagrees with manifest');
  return tf.loadLayersModel(loadHandler(entry));
}

function cropDims(name) {
  const m = /_(\d+)x(\d+)$/.exec(name);
  return [Number(m[1]), Number(m[2])];
}

function psnr(a, b, peak) {
  let se = 0;
  for (let i = 0; i < a.length; i++) se += (a[i] - b[i]) ** 2;
  const mse = se / a.length;
  return mse === 0 ? Infinity : 10 * Math.log10((peak * peak) / mse);
}

async function useBackend(name) {
  if (name === 'wasm') wasm.setWasmPaths(path.join(here, 'node_modules/@tensorflow/tfjs-backend-wasm/dist') + path.sep);
  if (!(await tf.setBackend(name))) throw new Error(`backend ${name} unavailable`);
  await tf.ready();
}

async function run(entry, crop, backendName) {
  await useBackend(backendName);
  const model = await loadModel(entry);
  const [h, w] = cropDims(crop);
  const u8 = fs.readFileSync(path.join(outDir, `${crop}.u8`));
  if (u8.length !== h * w * 3) throw new Error(`${crop}.u8 has ${u8.length} bytes`);
  const input = new Float32Array(u8.length);
  for (let i = 0; i < u8.length; i++) input[i] = entry.input_range === 255 ? u8[i] : u8[i] / 255;
  const x = tf.tensor4d(input, [1, h, w, 3]);
  const t0 = performance.now();
  const y = model.predict(x);
  const out = await y.data();
  const ms = performance.now() - t0;
  const shape = y.shape.slice(1);
  tf.dispose([x, y]);
  model.dispose();
  return { input, out: Float32Array.from(out), shape, ms };
}

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  const crops = new Set(CASES.flatMap(([, c]) => c));
  if ([...crops].some((c) => !fs.existsSync(path.join(outDir, `${c}.u8`)))) {
    execFileSync('/usr/bin/python3', [path.join(here, 'golden_crops.py'), outDir], { stdio: 'inherit' });
  }
  const index = {
    format: 'raw little-endian float32, row-major HWC (= NHWC with N=1), RGB; see README.md',
    generator: 'models/make_goldens.mjs',
    reference: `@tensorflow/tfjs ${tf.version.tfjs}, backend ${backend}`,
    cases: [],
  };
  for (const [base, cs] of CASES) {
    const entry = entryOf(base);
    for (const crop of cs) {
      const id = `${base}_${crop}`;
      const r = await run(entry, crop, backend);
      const [h, w] = cropDims(crop);
      const s = entry.scale;
      if (r.shape.join() !== [h * s, w * s, 3].join()) throw new Error(`${id}: output shape ${r.shape}`);
      fs.writeFileSync(path.join(outDir, `${id}.in.f32`), Buffer.from(r.input.buffer));
      fs.writeFileSync(path.join(outDir, `${id}.out.f32`), Buffer.from(r.out.buffer));
      let line = `${id}: ${r.shape.join('x')} (${r.ms.toFixed(0)} ms, ${tf.getBackend()})`;
      const c = { id, model: entry.name, scale: s, pt: entry.file, arch: entry.arch,
        input_range: entry.input_range, output_range: entry.output_range, crop: `${crop}.u8`,
        input: `${id}.in.f32`, input_shape: [h, w, 3], output: `${id}.out.f32`, output_shape: r.shape };
      if (crossCheck) {
        const other = backend === 'wasm' ? 'cpu' : 'wasm';
        const r2 = await run(entry, crop, other);
        c[`psnr_vs_${other}`] = Number(psnr(r.out, r2.out, entry.output_range).toFixed(2));
        line += `; vs ${other}: PSNR ${c[`psnr_vs_${other}`]} dB`;
        await useBackend(backend);
      }
      index.cases.push(c);
      console.log(line);
    }
  }
  fs.writeFileSync(path.join(outDir, 'goldens.json'), JSON.stringify(index, null, 2) + '\n');
}

main().catch((e) => {
  console.error(`make_goldens: ${e.stack || e}`);
  process.exit(1);
});
