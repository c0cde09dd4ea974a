// The viewer in a real browser: headless Chromium (Debian's, /usr/bin/chromium) driven by
// puppeteer-core, on pages femur itself writes (femur view --export) or serves. Run by ctest,
// one test per invocation:
//
//   node web/test/browser_test.mjs TEST       TEST: loads served counts scrub screenshot
//                                                   hip_arrow missing_mesh models shipped report
//                                                   performance
//
// Environment: FEMUR_CLI (the femur binary; default build/femur), FEMUR_OPENSIM_DATA
// (default ../shared/opensim), FEMUR_CHROMIUM (default: chromium on the PATH),
// FEMUR_UPDATE_REFERENCE=1 (the screenshot test rewrites its reference image).
// Exit 0 = passed, 1 = failed, 77 = skipped (no OpenSim data). A missing Chromium is a failure:
// scripts/install-deps.sh installs it.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import puppeteer from 'puppeteer-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FEMUR = process.env.FEMUR_CLI || path.join(ROOT, 'build', 'femur');
const DATA = process.env.FEMUR_OPENSIM_DATA || path.join(ROOT, '..', 'shared', 'opensim');
const JR = 'Tutorials/Estimating_Joint_Reaction_Loads';
const REFERENCE_PNG = path.join(ROOT, 'tests', 'data', 'view', 'gait2392_walk_frame60.png');
const SKIP = 77;

class Skip extends Error {}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

function data(relative) {
  if (!fs.existsSync(DATA)) throw new Skip(`OpenSim reference data not found at ${DATA} (set FEMUR_OPENSIM_DATA)`);
  return path.join(DATA, relative);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'femur-view-test-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

function femur(args) {
  const r = spawnSync(FEMUR, args, { encoding: 'utf8' });
  if (r.error) throw new Error(`cannot run ${FEMUR}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`femur ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return r.stdout;
}

// The walking trial of OpenSim's joint reaction tutorial: gait2392 scaled to subject01, 1.5 s
// of kinematics at 1 kHz, Static Optimization activations, ground reactions, hip reaction.
function walkArgs() {
  return [
    data(`${JR}/subject01_simbody_adjusted_StaticOp.osim`),
    '--motion', data(`${JR}/subject01_walk1_Kinematics.sto`),
    '--activations', data(`${JR}/OutputReference/ResultsStaticOptimization/subject01_StaticOptimization_activation.sto`),
    '--external-loads', data(`${JR}/foot_floor_loads.xml`),
    '--joint-reaction', data(`${JR}/OutputReference/ResultsStaticOptimization/subject01_JointReaction_ReactionLoads.sto`),
  ];
}

function exportPage(name, args) {
  const file = path.join(tmp, `${name}.html`);
  femur(['view', ...args, '--export', file, '--quiet']);
  return file;
}

function chromium() {
  const candidates = [process.env.FEMUR_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  for (const c of candidates) if (fs.existsSync(c)) return c;
  throw new Error('Chromium not found (install it with scripts/install-deps.sh, or set FEMUR_CHROMIUM)');
}

async function launch() {
  return puppeteer.launch({
    executablePath: chromium(),
    headless: true,
    args: [
      '--no-sandbox', // root in containers
      '--use-angle=swiftshader', // WebGL in software: the same pixels on any machine
      '--enable-unsafe-swiftshader',
      '--force-device-scale-factor=1',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      '--mute-audio',
    ],
  });
}

// Opens a page and waits until every view in sight has rendered once. Console errors,
// uncaught exceptions and failed requests are collected in `problems`.
async function open(browser, url, { width = 800, height = 600 } = {}) {
  const page = await browser.newPage();
  await page.setViewport({ width, height });
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => !!(window.femur && window.femur.ready), { timeout: 60000 });
  await page.evaluate(() => window.femur.ready);
  const errors = await page.evaluate(() => window.femur.errors);
  for (const e of errors) problems.push(`viewer error: ${e}`);
  return { page, problems };
}

function expectNoProblems(problems, what) {
  check(problems.length === 0, `${what}: ${problems.join('; ')}`);
}

// The view's canvas at frame i as a PNG data URL (captured in the same task as the render).
async function canvasAt(page, frame, viewIndex = 0) {
  return page.evaluate(
    (i, v) => {
      const viewer = window.femur.viewers[v];
      viewer.setFrame(i);
      return viewer.renderer.domElement.toDataURL('image/png');
    },
    frame,
    viewIndex,
  );
}

// Pixel statistics of two images, computed in the page: the fraction of pixels where some
// channel differs by more than `threshold` (0-255). With block > 1 the images are first
// averaged over block x block squares, so an edge that moves by a pixel hardly counts.
async function compareImages(page, a, b, threshold = 48, block = 1) {
  return page.evaluate(
    async (a, b, threshold, block) => {
      const load = (src) =>
        new Promise((resolve, reject) => {
          const img = new Image();
          img.onload = () => resolve(img);
          img.onerror = () => reject(new Error('image does not decode'));
          img.src = src;
        });
      const [ia, ib] = await Promise.all([load(a), load(b)]);
      if (ia.width !== ib.width || ia.height !== ib.height)
        return { sameSize: false, size: [ia.width, ia.height, ib.width, ib.height] };
      const pixels = (img) => {
        const c = document.createElement('canvas');
        c.width = img.width;
        c.height = img.height;
        const ctx = c.getContext('2d');
        ctx.drawImage(img, 0, 0);
        const p = ctx.getImageData(0, 0, img.width, img.height).data;
        if (block <= 1) return p;
        const w = Math.floor(img.width / block);
        const h = Math.floor(img.height / block);
        const out = new Float32Array(w * h * 4);
        for (let y = 0; y < h * block; y++)
          for (let x = 0; x < w * block; x++) {
            const o = ((Math.floor(y / block) * w + Math.floor(x / block)) * 4);
            const i = (y * img.width + x) * 4;
            for (let c = 0; c < 3; c++) out[o + c] += p[i + c] / (block * block);
          }
        return out;
      };
      const pa = pixels(ia);
      const pb = pixels(ib);
      let differing = 0;
      let sum = 0;
      for (let i = 0; i < pa.length; i += 4) {
        let most = 0;
        for (let c = 0; c < 3; c++) {
          const d = Math.abs(pa[i + c] - pb[i + c]);
          sum += d;
          if (d > most) most = d;
        }
        if (most > threshold) differing++;
      }
      const n = pa.length / 4;
      return { sameSize: true, width: ia.width, height: ia.height, fraction: differing / n, meanAbs: sum / (3 * n) };
    },
    a,
    b,
    threshold,
    block,
  );
}

// Fraction of the canvas that is not the background colour: a blank scene is near 0.
async function drawnFraction(page, dataUrl) {
  return page.evaluate(async (src) => {
    const img = await new Promise((resolve) => {
      const i = new Image();
      i.onload = () => resolve(i);
      i.src = src;
    });
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const p = ctx.getImageData(0, 0, img.width, img.height).data;
    const bg = [p[0], p[1], p[2]]; // the top-left corner is background
    let drawn = 0;
    for (let i = 0; i < p.length; i += 4)
      if (Math.abs(p[i] - bg[0]) + Math.abs(p[i + 1] - bg[1]) + Math.abs(p[i + 2] - bg[2]) > 60) drawn++;
    return drawn / (p.length / 4);
  }, dataUrl);
}

// Contact geometry elements of a file's text.
function contactCounts(text) {
  return {
    contactSpheres: (text.match(/<ContactSphere name=/g) || []).length,
    halfSpaces: (text.match(/<ContactHalfSpace name=/g) || []).length,
    contactMeshes: (text.match(/<ContactMesh name=/g) || []).length,
  };
}

// Counts of an .osim file, read from its text (independent of femur's readers), with the
// contact geometry of the given ContactGeometrySet files, or else of Moco's
// <stem>_ContactGeometrySet.xml beside the model (femur view adds it).
function osimCounts(file, contactFiles = []) {
  const text = fs.readFileSync(file, 'utf8');
  const meshes = text.match(/<Mesh name="[^"]*">[\s\S]*?<\/Mesh>/g) || [];
  const visible = meshes.filter((m) => !/<visible>\s*false\s*<\/visible>/.test(m)).length;
  // Muscles of the ForceSet and of the model's <components> (2D_gait keeps its muscles
  // there); the <defaults> block of 3.x files holds templates named "default", not muscles.
  const live = text.replace(/<defaults>[\s\S]*?<\/defaults>/g, '');
  const muscles = (live.match(/<(Thelen2003Muscle|Millard2012EquilibriumMuscle|DeGrooteFregly2016Muscle|Schutte1993Muscle_Deprecated) name=/g) || []).length;
  const contact = contactCounts(live);
  const beside = file.replace(/\.osim$/, '_ContactGeometrySet.xml');
  const extra = contactFiles.length ? contactFiles : fs.existsSync(beside) ? [beside] : [];
  for (const f of extra) {
    const c = contactCounts(fs.readFileSync(f, 'utf8'));
    for (const k of Object.keys(contact)) contact[k] += c[k];
  }
  return { meshes: visible, muscles, ...contact };
}

// A .sto file as {labels, rows} (numbers only after endheader).
function readSto(file) {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  const end = lines.findIndex((l) => l.trim() === 'endheader');
  const labels = lines[end + 1].trim().split(/\s+/);
  const rows = lines
    .slice(end + 2)
    .filter((l) => l.trim())
    .map((l) => l.trim().split(/\s+/).map(Number));
  return { labels, rows };
}

// CPU time (ms) used so far by the browser's processes, by process type (gpu-process,
// renderer, ...) and in all: /proc/PID/stat utime + stime of the browser and its descendants.
// Null where there is no /proc.
function browserCpuMs(rootPid) {
  if (!fs.existsSync('/proc/self/stat')) return null;
  const procs = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const type = (fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').match(/--type=([a-z-]+)/) || [null, 'browser'])[1];
      procs.set(Number(d), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), type });
    } catch (e) {
      // the process ended meanwhile
    }
  }
  const msPerTick = 10; // USER_HZ = 100 on Linux
  const out = { all: 0 };
  for (const [pid, p] of procs) {
    let q = pid;
    while (q && q !== rootPid && procs.has(q)) q = procs.get(q).ppid;
    if (q !== rootPid) continue;
    out.all += p.ticks * msPerTick;
    out[p.type] = (out[p.type] || 0) + p.ticks * msPerTick;
  }
  return out;
}

// Plays the page's first view for `ms` and measures the frame rate from requestAnimationFrame
// timestamps, the render call, and the browser's CPU time per frame shown (all processes,
// both cores: on an idle machine the rate is at most 1000 / (CPU per frame / cores)).
async function playFor(page, rootPid, ms) {
  const before = browserCpuMs(rootPid);
  const r = await page.evaluate(
    (ms) =>
      new Promise((resolve) => {
        const v = window.femur.viewers[0];
        v.tickTimes.length = 0;
        v.renderTimes.length = 0;
        v.play();
        setTimeout(() => {
          v.pause();
          const t = v.tickTimes;
          const gaps = [];
          for (let i = 1; i < t.length; i++) gaps.push(t[i] - t[i - 1]);
          gaps.sort((a, b) => a - b);
          const r = v.renderTimes.slice().sort((a, b) => a - b);
          resolve({
            frames: t.length - 1,
            fps: (t.length - 1) / ((t[t.length - 1] - t[0]) / 1000),
            medianFrameMs: gaps[gaps.length >> 1],
            p90FrameMs: gaps[Math.floor(0.9 * gaps.length)],
            medianJsMs: r[r.length >> 1],
          });
        }, ms);
      }),
    ms,
  );
  const after = browserCpuMs(rootPid);
  if (before && after && r.frames > 0) {
    r.cpu = {};
    for (const k of Object.keys(after)) r.cpu[k] = (after[k] - (before[k] || 0)) / r.frames;
    for (const k of ['gpu-process', 'renderer']) r.cpu[k] = r.cpu[k] || 0;
  }
  return r;
}

// ---- Tests.

const tests = {
  // The exported page of a full walking trial loads without a console error and draws.
  async loads() {
    const file = exportPage('walk', walkArgs());
    const browser = await launch();
    try {
      const { page, problems } = await open(browser, `file://${file}`);
      expectNoProblems(problems, 'walk.html');
      const drawn = await drawnFraction(page, await canvasAt(page, 0));
      check(drawn > 0.03, `the scene looks blank (${(100 * drawn).toFixed(2)} % of the canvas drawn)`);
      console.log(`loads: no console errors; ${(100 * drawn).toFixed(1)} % of the canvas drawn`);
    } finally {
      await browser.close();
    }
  },

  // The page femur view serves loads without errors; the server stops on SIGINT with exit 0.
  async served() {
    const server = spawn(FEMUR, ['view', ...walkArgs(), '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL from femur view: ${out}`)), 60000);
      server.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
        if (m) {
          clearTimeout(timer);
          resolve(m[0]);
        }
      });
      server.on('exit', (code) => reject(new Error(`femur view exited ${code}: ${out}`)));
    });
    const browser = await launch();
    try {
      const { page, problems } = await open(browser, url);
      expectNoProblems(problems, url);
      const counts = await page.evaluate(() => window.femur.viewers[0].counts());
      check(counts.muscles === 92, `served page: ${counts.muscles} muscles drawn, expected 92`);
    } finally {
      await browser.close();
    }
    const code = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve('timeout'), 10000);
      server.removeAllListeners('exit');
      server.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
      server.kill('SIGINT');
    });
    check(code === 0, `femur view after SIGINT: exit ${code}`);
    console.log(`served: ${url} loaded without errors; stopped on SIGINT with exit 0`);
  },

  // One drawn mesh per body geometry of the model file, one line per muscle.
  async counts() {
    const model = data(`${JR}/subject01_simbody_adjusted_StaticOp.osim`);
    const expected = osimCounts(model);
    check(expected.muscles === 92, `the model file has ${expected.muscles} muscles, expected gait2392's 92`);
    const file = exportPage('walk', walkArgs());
    const browser = await launch();
    try {
      const { page, problems } = await open(browser, `file://${file}`);
      expectNoProblems(problems, 'walk.html');
      const c = await page.evaluate(() => window.femur.viewers[0].counts());
      check(c.geometries === expected.meshes, `${c.geometries} meshes drawn, the file has ${expected.meshes} visible`);
      check(c.placeholders === 0, `${c.placeholders} placeholders`);
      check(c.muscles === expected.muscles, `${c.muscles} muscle lines drawn, the file has ${expected.muscles} muscles`);
      check(c.paths === expected.muscles, `${c.paths} paths drawn`);
      console.log(`counts: ${c.geometries} meshes, ${c.muscles} muscle lines, ${c.frames} frames`);
    } finally {
      await browser.close();
    }
  },

  // Moving the timeline slider changes the pose: the canvas changes.
  async scrub() {
    const file = exportPage('walk', walkArgs());
    const browser = await launch();
    try {
      const { page, problems } = await open(browser, `file://${file}`);
      const grab = async (value) =>
        page.evaluate((value) => {
          const viewer = window.femur.viewers[0];
          viewer.follow = false; // keep the camera still: only the pose may change the pixels
          const slider = document.querySelector('.fv-slider');
          slider.value = String(value);
          slider.dispatchEvent(new Event('input', { bubbles: true }));
          viewer.render();
          return {
            image: viewer.renderer.domElement.toDataURL('image/png'),
            time: document.querySelector('.fv-time').textContent,
          };
        }, value);
      const a = await grab(0);
      const b = await grab(75);
      const c = await grab(0);
      expectNoProblems(problems, 'walk.html');
      const moved = await compareImages(page, a.image, b.image);
      const back = await compareImages(page, a.image, c.image);
      check(a.time !== b.time, `the time shown did not change (${a.time})`);
      check(moved.fraction > 0.01, `scrubbing changed only ${(100 * moved.fraction).toFixed(3)} % of the pixels`);
      check(back.fraction === 0, `scrubbing back did not restore the first image (${(100 * back.fraction).toFixed(3)} %)`);
      console.log(`scrub: ${a.time} -> ${b.time} changed ${(100 * moved.fraction).toFixed(2)} % of the pixels; back again: identical`);
    } finally {
      await browser.close();
    }
  },

  // gait2392 at frame 60 against a stored image (tests/data/view). The picture is rendered by
  // SwiftShader, Chromium's software WebGL, so it is the same on every machine with the same
  // Chromium and three.js; a new Chromium or three.js may move antialiased edges by a pixel.
  // So both images are averaged over 4x4-pixel blocks first, and at most 0.5 % of the blocks
  // may differ by more than 32 of 255 in a channel: an edge moved by a pixel changes a block by
  // a quarter of the contrast at most. The test checks that it can see a small error: frame 63
  // (0.03 s later, the legs a few centimetres on) must differ by more than the tolerance, so a
  // wrong pose, camera, colour or a missing bone or muscle fails.
  // To regenerate after an intended change of the picture:
  //   FEMUR_UPDATE_REFERENCE=1 ctest -R web.browser.screenshot   (then look at the PNG)
  async screenshot() {
    const file = exportPage('walk', walkArgs());
    const browser = await launch();
    try {
      const { page, problems } = await open(browser, `file://${file}`, { width: 640, height: 480 });
      expectNoProblems(problems, 'walk.html');
      await page.evaluate(() => window.femur.viewers[0].setView('side'));
      const image = await canvasAt(page, 60);
      if (process.env.FEMUR_UPDATE_REFERENCE === '1') {
        fs.mkdirSync(path.dirname(REFERENCE_PNG), { recursive: true });
        fs.writeFileSync(REFERENCE_PNG, Buffer.from(image.split(',')[1], 'base64'));
        console.log(`screenshot: wrote ${REFERENCE_PNG}`);
        return;
      }
      check(fs.existsSync(REFERENCE_PNG), `no reference image ${REFERENCE_PNG} (FEMUR_UPDATE_REFERENCE=1 makes it)`);
      const reference = `data:image/png;base64,${fs.readFileSync(REFERENCE_PNG).toString('base64')}`;
      const limit = 0.005;
      const d = await compareImages(page, image, reference, 32, 4);
      check(d.sameSize, `image size ${d.size} differs from the reference`);
      const near = await compareImages(page, image, await canvasAt(page, 63), 32, 4);
      console.log(
        `screenshot: ${(100 * d.fraction).toFixed(3)} % of the 4x4 blocks differ from the reference (limit ` +
          `${100 * limit} %), mean |difference| ${d.meanAbs.toFixed(3)}; frame 63 differs from frame 60 in ` +
          `${(100 * near.fraction).toFixed(2)} %`,
      );
      check(d.fraction <= limit, `${(100 * d.fraction).toFixed(3)} % of the blocks differ from ${REFERENCE_PNG}`);
      check(near.fraction > 2 * limit, 'frame 63 is within twice the tolerance of frame 60: the test could not see a wrong pose');
    } finally {
      await browser.close();
    }
  },

  // The hip joint reaction arrow ends at the femoral head centre and points into the
  // acetabulum: at every stance frame (force above one body weight) its direction is within
  // 90 degrees of the vector from the femoral head to the pelvis origin (which lies medial,
  // superior and anterior of the head in gait2392); its length is the file's force.
  async hip_arrow() {
    const file = exportPage('walk', walkArgs());
    const jr = readSto(data(`${JR}/OutputReference/ResultsStaticOptimization/subject01_JointReaction_ReactionLoads.sto`));
    const col = (name) => jr.labels.indexOf(name);
    const fx = col('hip_r_on_femur_r_in_femur_r_fx');
    check(fx > 0, 'the joint reaction file has no hip_r_on_femur_r columns');
    const browser = await launch();
    try {
      const { page, problems } = await open(browser, `file://${file}`);
      expectNoProblems(problems, 'walk.html');
      const frames = await page.evaluate(() => {
        const v = window.femur.viewers[0];
        const out = [];
        const femur = v.scene.bodies.findIndex((b) => b.name === 'femur_r');
        for (let i = 0; i < v.frameCount; i++) {
          v.setFrame(i, false); // the arrows are placed by the frame; drawing them is not needed here
          const arrow = v.reactionArrows().find((a) => a.name === 'hip_r');
          const head = v.bodyLayerGroups.bones[femur].getWorldPosition(v.bodyLayerGroups.bones[femur].position.clone());
          out.push({ time: v.frames.time[i], arrow, head: head.toArray(), weight: v.scene.model.mass * 9.80665 });
        }
        return out;
      });
      let stance = 0;
      let worst = 0;
      let magnitudeError = 0;
      for (const f of frames) {
        const a = f.arrow;
        check(a, `no hip_r arrow at ${f.time}`);
        const force = Math.hypot(...a.force);
        // The file's force on the femur at this time has the same magnitude.
        const row = jr.rows.reduce((best, r) => (Math.abs(r[0] - f.time) < Math.abs(best[0] - f.time) ? r : best));
        if (Math.abs(row[0] - f.time) < 1e-4) {
          const fileForce = Math.hypot(row[fx], row[fx + 1], row[fx + 2]);
          magnitudeError = Math.max(magnitudeError, Math.abs(force - fileForce) / fileForce);
        }
        if (!a.visible || force < f.weight) continue;
        stance++;
        const tipToHead = Math.hypot(a.tip[0] - f.head[0], a.tip[1] - f.head[1], a.tip[2] - f.head[2]);
        check(tipToHead < 1e-3, `at ${f.time} s the arrow ends ${(1000 * tipToHead).toFixed(2)} mm from the femoral head centre`);
        const inward = [a.parentOrigin[0] - a.tip[0], a.parentOrigin[1] - a.tip[1], a.parentOrigin[2] - a.tip[2]];
        const cos = (a.direction[0] * inward[0] + a.direction[1] * inward[1] + a.direction[2] * inward[2]) / Math.hypot(...inward);
        const angle = (Math.acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI;
        worst = Math.max(worst, angle);
        check(angle < 90, `at ${f.time} s the hip force points ${angle.toFixed(1)} degrees away from the pelvis`);
      }
      check(stance > 40, `only ${stance} frames with a hip force above one body weight`);
      check(magnitudeError < 1e-3, `arrow force differs from the file's by ${(100 * magnitudeError).toFixed(3)} %`);
      console.log(
        `hip_arrow: ${stance} stance frames; tip at the femoral head; largest angle to the head->pelvis vector ` +
          `${worst.toFixed(1)} deg; force within ${(100 * magnitudeError).toFixed(4)} % of the file's`,
      );
    } finally {
      await browser.close();
    }
  },

  // A mesh that cannot be found: a placeholder is drawn and the page says which file.
  async missing_mesh() {
    const source = fs.readFileSync(data('Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim'), 'utf8');
    const changed = source.replace('<mesh_file>femur_r.vtp</mesh_file>', '<mesh_file>no_such_femur.vtp</mesh_file>');
    check(changed !== source, 'gait2392 names no femur_r.vtp');
    const dir = fs.mkdtempSync(path.join(tmp, 'model-'));
    const model = path.join(dir, 'gait2392_missing_mesh.osim');
    fs.writeFileSync(model, changed);
    const file = exportPage('missing', [model, '--geometry-dir', data('Geometry')]);
    const browser = await launch();
    try {
      const { page, problems } = await open(browser, `file://${file}`);
      expectNoProblems(problems, 'missing.html');
      const c = await page.evaluate(() => window.femur.viewers[0].counts());
      const warning = await page.evaluate(() => document.querySelector('.fv-warnings')?.innerText || '');
      const visible = await page.evaluate(() => {
        const w = document.querySelector('.fv-warnings');
        return !!w && !w.hidden && w.getBoundingClientRect().height > 0;
      });
      const drawn = await drawnFraction(page, await canvasAt(page, 0));
      check(c.placeholders === 1, `${c.placeholders} placeholders drawn, expected 1`);
      check(c.geometries === 18, `${c.geometries} meshes drawn, expected 18`);
      check(visible && warning.includes("mesh 'no_such_femur.vtp' (body 'femur_r') not found"), `warning shown: "${warning}"`);
      check(drawn > 0.02, `the scene looks blank (${(100 * drawn).toFixed(2)} % drawn)`);
      console.log(`missing_mesh: placeholder drawn, warning shown: ${warning.split('\n')[1]}`);
    } finally {
      await browser.close();
    }
  },

  // Every kind of model and motion (item 4): femur's hip model, gait2392 with femur's own IK
  // result, gait2354 with femur's forward states and OpenSim's CMC states, gait10dof18musc
  // with its IK, arm26 (4.0 and 3.0 files) with forward states, the Moco models (2D_gait with
  // its muscles in <components> and its contact spheres and floor, the 3D walking model with
  // ground reactions and the contact spheres kept beside it) and MocoInverse's model with
  // Moco's solution, with femur inverse's and with femur track's (Moco's trajectory layout:
  // /jointset/.../value, /forceset/.../activation), and contact meshes. Expected counts come
  // from the .osim and .xml text, not from femur.
  async models() {
    const ik = path.join(tmp, 'walk_ik.mot');
    femur([
      'ik', '--model', data('Pipelines/Gait2392_Simbody/OutputReference/subject01_simbody.osim'),
      '--markers', data('Pipelines/Gait2392_Simbody/subject01_walk1.trc'),
      '--time-range', '0.5', '1.0', '--quiet', '-o', ik,
    ]);
    const G = 'Pipelines/Gait2354_Simbody';
    const forwardDir = path.join(tmp, 'forward');
    femur([
      'forward', '--model', data(`${G}/OutputReference/subject01_simbody_adjusted.osim`),
      '--force-set', data(`${G}/gait2354_CMC_Actuators.xml`),
      '--controls', data(`${G}/OutputReference/ResultsCMC/subject01_walk1_controls.xml`),
      '--states', data(`${G}/OutputReference/ResultsCMC/subject01_walk1_states.sto`),
      '--external-loads', data(`${G}/subject01_walk1_grf.xml`),
      '--initial-time', '0.83', '--final-time', '0.93', '--tolerance', '5e-5', '--min-step', '1e-5',
      '--out', forwardDir, '--quiet',
    ]);
    // femur's CMC on OpenSim's gait2354 setup (0.83-0.9 s), in a copy of the folder with
    // OpenSim's RRA results where the setup expects them.
    const cmcDir = path.join(tmp, 'cmc');
    fs.cpSync(data(G), cmcDir, { recursive: true });
    fs.cpSync(path.join(cmcDir, 'OutputReference', 'ResultsRRA'), path.join(cmcDir, 'ResultsRRA'), { recursive: true });
    fs.copyFileSync(path.join(cmcDir, 'OutputReference', 'subject01_simbody_adjusted.osim'),
      path.join(cmcDir, 'subject01_simbody_adjusted.osim'));
    const setup = path.join(cmcDir, 'subject01_Setup_CMC.xml');
    fs.writeFileSync(setup, fs.readFileSync(setup, 'utf8').replace(/<final_time>[^<]*</, '<final_time>0.9<'));
    femur(['run', setup, '--quiet']);
    const M = 'Moco/MocoInverse';
    const inverse = path.join(tmp, 'inverse_solution.sto');
    femur([
      'inverse', '--model', data(`${M}/subject_walk_armless_18musc.osim`),
      '--coordinates', data(`${M}/subject_walk_armless_coordinates.mot`), '--lowpass', '6',
      '--external-loads', data(`${M}/subject_walk_armless_external_loads.xml`), '--t0', '0.45', '--t1', '0.65',
      '--mesh-interval', '0.05', '--weld', 'subtalar_r,subtalar_l,mtp_r,mtp_l', '--ignore-passive-fiber',
      '--quiet', '-o', inverse,
    ]);
    check(/\/jointset\/hip_r\/hip_flexion_r\/value/.test(fs.readFileSync(inverse, 'utf8')),
      'femur inverse wrote no /jointset/.../value columns');
    // femur track's solution of Moco's 2D walking example (tracking, direct collocation; 5
    // mesh intervals keep it to seconds): Moco's trajectory layout with the contact model.
    const W = 'Moco/example2DWalking';
    const track = path.join(tmp, 'track_solution.sto');
    femur([
      'track', '--model', data(`${W}/2D_gait.osim`), '--states-reference', data(`${W}/referenceCoordinates.sto`),
      '--lowpass', '6', '--track-speeds', '--external-loads', data(`${W}/referenceGRF.xml`), '--grf-normalize',
      '--mesh-intervals', '5', '--quiet', '-o', track,
    ]);
    check(/\/forceset\/.*\/activation/.test(fs.readFileSync(track, 'utf8')), 'femur track wrote no activation columns');
    // femur so and femur jr on the joint reaction tutorial's walk (0.6-0.9 s, every 10th row):
    // muscles coloured by femur's forces, the hip arrow from femur's reaction loads.
    const soDir = path.join(tmp, 'so');
    const toolArgs = [
      '--model', data(`${JR}/subject01_simbody_adjusted_StaticOp.osim`), '--coordinates', data(`${JR}/subject01_walk1_Kinematics.sto`),
      '--external-loads', data(`${JR}/foot_floor_loads.xml`), '--actuators', data(`${JR}/gait2392_SO_weak_Residual_Actuators.xml`),
      '--cutoff', '6', '--time-range', '0.6', '0.9', '--step', '10', '--out-dir', soDir, '-q',
    ];
    femur(['so', ...toolArgs]);
    femur(['jr', ...toolArgs, '--forces', path.join(soDir, 'femur_StaticOptimization_force.sto'), '--joints', 'hip_r',
      '--on', 'child', '--in', 'child']);
    // A contact mesh (OpenSim's ContactMesh) on each foot of gait2392, one of them missing.
    const contactFile = path.join(tmp, 'contact_meshes.xml');
    fs.writeFileSync(contactFile, `<OpenSimDocument Version="40000"><ContactGeometrySet><objects>
<ContactMesh name="sole_r"><socket_frame>/bodyset/calcn_r</socket_frame><filename>foot.vtp</filename></ContactMesh>
<ContactMesh name="sole_l"><socket_frame>/bodyset/calcn_l</socket_frame><filename>l_foot.vtp</filename></ContactMesh>
<ContactSphere name="heel_r"><socket_frame>/bodyset/calcn_r</socket_frame><radius>0.03</radius></ContactSphere>
</objects></ContactGeometrySet></OpenSimDocument>`);
    const cases = [
      ['hip', [path.join(ROOT, 'models', 'femur_hip.osim')]],
      ['hip-gait2392-meshes', [path.join(ROOT, 'models', 'femur_hip.osim'), '--motion', ik,
        '--geometry-from', data('Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim')]],
      ['gait2392-femur-ik', [data('Pipelines/Gait2392_Simbody/OutputReference/subject01_simbody.osim'), '--motion', ik,
        '--markers', data('Pipelines/Gait2392_Simbody/subject01_walk1.trc')]],
      ['gait2354-cmc', [data('Pipelines/Gait2354_Simbody/OutputReference/subject01_simbody_adjusted.osim'),
        '--motion', data('Pipelines/Gait2354_Simbody/OutputReference/ResultsCMC/subject01_walk1_states.sto')]],
      ['gait2354-femur-cmc', [data(`${G}/OutputReference/subject01_simbody_adjusted.osim`),
        '--motion', path.join(cmcDir, 'ResultsCMC', 'subject01_walk1_states.sto')]],
      ['gait2354-femur-forward', [data(`${G}/OutputReference/subject01_simbody_adjusted.osim`),
        '--motion', path.join(forwardDir, 'forward_states.sto')]],
      ['gait10dof18musc-ik', [data('Models/Gait10dof18musc/gait10dof18musc.osim'),
        '--motion', data('Pipelines/Gait10dof18musc/OutputReference/IK/subject01_walk_IK.mot')]],
      ['arm26-forward', [data('Models/Arm26/arm26.osim'), '--motion',
        data('Tutorials/Computed_Muscle_Control/OutputReference/ForwardDynamics/PhysiologicalResults/arm26_states.sto')]],
      ['arm26-v3', [data('Tests/Analyze/arm26.osim')]],
      ['moco-2d', [data('Moco/example2DWalking/2D_gait.osim'), '--motion', data('Moco/example2DWalking/referenceCoordinates.sto')]],
      ['moco-3d', [data('Moco/example3DWalking/subject_walk_scaled.osim'), '--motion', data('Moco/example3DWalking/coordinates.sto'),
        '--external-loads', data('Moco/example3DWalking/grf_walk.xml')]],
      ['moco-inverse-solution', [data('Moco/MocoInverse/subject_walk_armless_18musc.osim'),
        '--motion', data('Moco/MocoInverse/std_testMocoInverse_subject_18musc_solution.sto')]],
      ['femur-inverse-solution', [data(`${M}/subject_walk_armless_18musc.osim`), '--motion', inverse]],
      ['femur-track-solution', [data(`${W}/2D_gait.osim`), '--motion', track]],
      ['gait2392-femur-so-jr', [data(`${JR}/subject01_simbody_adjusted_StaticOp.osim`),
        '--motion', data(`${JR}/subject01_walk1_Kinematics.sto`), '--start', '0.6', '--end', '0.9',
        '--forces', path.join(soDir, 'femur_StaticOptimization_force.sto'),
        '--joint-reaction', path.join(soDir, 'femur_JointReaction_ReactionLoads.sto')]],
      ['gait2392-contact-meshes', [data('Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim'),
        '--contact-geometry', contactFile]],
    ];
    const browser = await launch();
    try {
      for (const [name, args] of cases) {
        const file = exportPage(name, args);
        const scene = JSON.parse(
          fs.readFileSync(file, 'utf8').match(/<script type="application\/json" id="femur-scene">(.*?)<\/script>/s)[1],
        );
        const { page, problems } = await open(browser, `file://${file}`);
        expectNoProblems(problems, name);
        const c = await page.evaluate(() => window.femur.viewers[0].counts());
        const contactArg = args.indexOf('--contact-geometry');
        const expected = osimCounts(args[0], contactArg >= 0 ? [args[contactArg + 1]] : []);
        const geometryFrom = args.indexOf('--geometry-from');
        if (geometryFrom >= 0) expected.meshes = osimCounts(args[geometryFrom + 1]).meshes;
        check(c.geometries + c.placeholders === scene.geometry.length, `${name}: ${c.geometries} meshes for ${scene.geometry.length} geometries`);
        check(c.placeholders === 0, `${name}: ${c.placeholders} placeholders`);
        if (geometryFrom >= 0) check(c.geometries === expected.meshes, `${name}: ${c.geometries} meshes drawn, expected ${expected.meshes}`);
        check(c.muscles === expected.muscles, `${name}: ${c.muscles} muscle lines for the file's ${expected.muscles} muscles`);
        check(c.contactSpheres === expected.contactSpheres && c.halfSpaces === expected.halfSpaces &&
          c.contactMeshes + c.contactPlaceholders === expected.contactMeshes && c.contactPlaceholders === 0,
          `${name}: ${c.contactSpheres} contact spheres, ${c.halfSpaces} half spaces, ${c.contactMeshes} contact meshes ` +
            `(${c.contactPlaceholders} placeholders) drawn, the files have ${expected.contactSpheres}, ` +
            `${expected.halfSpaces} and ${expected.contactMeshes}`);
        check(c.frames === scene.frames.count, `${name}: ${c.frames} frames`);
        if (c.frames > 1) {
          // The motion moves the model: first and last frames differ on the canvas.
          const first = await canvasAt(page, 0);
          const last = await canvasAt(page, c.frames - 1);
          const d = await compareImages(page, first, last);
          check(d.fraction > 0.001, `${name}: the first and last frames look the same`);
        }
        const drawn = await drawnFraction(page, await canvasAt(page, Math.floor(c.frames / 2)));
        check(drawn > 0.01, `${name}: the scene looks blank`);
        if (args.includes('--joint-reaction')) {
          const hip = await page.evaluate(() => window.femur.viewers[0].reactionArrows().find((a) => a.name === 'hip_r'));
          check(hip && hip.visible && Math.hypot(...hip.force) > 100, `${name}: no hip reaction arrow drawn`);
        }
        if (args.includes('--forces') || args.includes('--activations')) {
          const coloured = await page.evaluate(() => !!window.femur.viewers[0].frames.colour);
          check(coloured, `${name}: the muscles are not coloured`);
        }
        console.log(`models: ${name}: ${c.geometries} meshes, ${c.bones} bones, ${c.muscles} muscles, ` +
          `${c.contactSpheres + c.halfSpaces + c.contactMeshes} contact geometries, ${c.frames} frames, ` +
          `${scene.warnings.length} warnings`);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  },

  // Every .osim file in the OpenSim data loads in the page at its default pose: no console
  // error, one line per muscle of the file, every geometry drawn (a mesh, or a placeholder
  // for the OpenSim test models that name meshes of other installations), not blank.
  async shipped() {
    const models = [];
    const walk = (dir) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.osim')) models.push(p);
      }
    };
    walk(data('.'));
    models.sort();
    check(models.length > 40, `only ${models.length} .osim files under ${DATA}`);
    const browser = await launch();
    let muscles = 0;
    let placeholders = 0;
    let contacts = 0;
    try {
      for (const [k, model] of models.entries()) {
        const name = path.relative(DATA, model);
        const file = exportPage(`shipped-${k}`, [model]);
        const scene = JSON.parse(
          fs.readFileSync(file, 'utf8').match(/<script type="application\/json" id="femur-scene">(.*?)<\/script>/s)[1],
        );
        const { page, problems } = await open(browser, `file://${file}`, { width: 480, height: 360 });
        expectNoProblems(problems, name);
        const c = await page.evaluate(() => window.femur.viewers[0].counts());
        const expected = osimCounts(model);
        check(c.muscles === expected.muscles, `${name}: ${c.muscles} muscle lines for the file's ${expected.muscles} muscles`);
        check(c.geometries + c.placeholders === scene.geometry.length,
          `${name}: ${c.geometries} meshes and ${c.placeholders} placeholders for ${scene.geometry.length} geometries`);
        check(c.placeholders === 0 || name.startsWith(`Tests${path.sep}`), `${name}: ${c.placeholders} placeholders`);
        check(c.contactSpheres === expected.contactSpheres && c.halfSpaces === expected.halfSpaces &&
          c.contactMeshes + c.contactPlaceholders === expected.contactMeshes,
          `${name}: contact geometry drawn ${c.contactSpheres}/${c.halfSpaces}/${c.contactMeshes + c.contactPlaceholders}, ` +
            `the files have ${expected.contactSpheres}/${expected.halfSpaces}/${expected.contactMeshes} (spheres/half spaces/meshes)`);
        contacts += c.contactSpheres + c.halfSpaces + c.contactMeshes + c.contactPlaceholders;
        const drawn = await drawnFraction(page, await canvasAt(page, 0));
        check(drawn > 0.005, `${name}: the scene looks blank (${(100 * drawn).toFixed(2)} % drawn)`);
        muscles += c.muscles;
        placeholders += c.placeholders;
        await page.close();
        fs.rmSync(file);
      }
    } finally {
      await browser.close();
    }
    console.log(`shipped: ${models.length} models loaded without console errors, ${muscles} muscle lines in all, ` +
      `${placeholders} placeholders (OpenSim test models), ${contacts} contact geometries`);
  },

  // femur demo's report: each scenario section's postures in 3D, with the same page code.
  async report() {
    const out = path.join(tmp, 'demo');
    femur(['demo', '--out', out]);
    const file = path.join(out, 'report.html');
    const sections = (fs.readFileSync(file, 'utf8').match(/<section id=/g) || []).length;
    const browser = await launch();
    try {
      const { page, problems } = await open(browser, `file://${file}`, { width: 1100, height: 800 });
      await page.evaluate(() => window.femur.startAll());
      expectNoProblems(problems, 'report.html');
      const views = await page.evaluate(() =>
        window.femur.viewers.map((v) => ({ counts: v.counts(), arrows: v.reactionArrows().filter((a) => a.visible).length })),
      );
      check(views.length >= sections && sections >= 10, `${views.length} 3D views for ${sections} scenario sections`);
      for (const [i, v] of views.entries()) {
        check(v.counts.muscles === 98, `view ${i}: ${v.counts.muscles} muscles drawn, the hip model has 98`);
        check(v.counts.bones > 0, `view ${i}: no bones drawn`);
      }
      const withForce = views.filter((v) => v.arrows > 0).length;
      check(withForce >= 5, `only ${withForce} views show a hip contact force`);
      console.log(`report: ${views.length} views in ${sections} sections, ${withForce} with the hip contact force, no console errors`);
    } finally {
      await browser.close();
    }
  },

  // Measured, printed, not asserted (timings on 2 shared cores vary several-fold with load):
  // frames per second while playing, first render. Asserted: the export of a 2 s gait2392
  // motion (1 kHz coordinates, shown at the default 100 frames/s) with activations, ground
  // reactions and hip reaction is at most 10 MB.
  async performance() {
    // 2 s of gait2392 walking at 1 kHz: the IK motion (60 Hz, 0.5-4 s) resampled linearly.
    const ik = readSto(data('Pipelines/Gait2392_Simbody/subject01_walk1_ik.mot'));
    const lines = ['resampled IK', 'version=1', 'nRows=2001', `nColumns=${ik.labels.length}`, 'inDegrees=yes', 'endheader',
      ik.labels.join('\t')];
    for (let k = 0; k <= 2000; k++) {
      const t = 0.5 + k / 1000;
      let i = 0;
      while (i + 2 < ik.rows.length && ik.rows[i + 1][0] <= t) i++;
      const [a, b] = [ik.rows[i], ik.rows[i + 1]];
      const w = (t - a[0]) / (b[0] - a[0]);
      lines.push([t.toFixed(3), ...a.slice(1).map((v, c) => (v + w * (b[c + 1] - v)).toPrecision(9))].join('\t'));
    }
    const motion = path.join(tmp, 'walk_2s_1kHz.mot');
    fs.writeFileSync(motion, lines.join('\n') + '\n');
    const args = walkArgs();
    args[2] = motion;
    const file = exportPage('walk2s', args);
    const size = fs.statSync(file).size;
    const rajagopal = exportPage('rajagopal', [data('Moco/example3DWalking/subject_walk_scaled.osim'),
      '--motion', data('Moco/example3DWalking/coordinates.sto')]);
    const warmup = exportPage('warmup', [path.join(ROOT, 'models', 'femur_hip.osim')]);
    const browser = await launch();
    try {
      // First renders are timed in a browser that has drawn WebGL before (its GPU process
      // started), as when a user opens the page in a running browser.
      await (await open(browser, `file://${warmup}`)).page.close();
      const { page, problems } = await open(browser, `file://${file}`, { width: 1280, height: 720 });
      expectNoProblems(problems, 'walk2s.html');
      const frames = await page.evaluate(() => window.femur.viewers[0].frameCount);
      const firstRender = await page.evaluate(() => ({ ms: window.femur.firstRenderMs, ...window.femur.viewers[0].timings }));
      const root = browser.process().pid;
      const play = await playFor(page, root, 4000);
      // The same page with nothing in the scene: what the browser costs per frame to clear,
      // composite and show a 1280x720 WebGL canvas and its overlay, the ceiling of the rate.
      await page.evaluate(() => {
        for (const c of window.femur.viewers[0].world.children) c.visible = false;
      });
      const empty = await playFor(page, root, 3000);
      await page.close();
      const raj = await open(browser, `file://${rajagopal}`, { width: 1280, height: 720 });
      expectNoProblems(raj.problems, 'rajagopal.html');
      const rajFirst = await raj.page.evaluate(() => ({ ms: window.femur.firstRenderMs, ...window.femur.viewers[0].timings }));
      const rajCounts = await raj.page.evaluate(() => window.femur.viewers[0].counts());
      const load = os.loadavg()[0].toFixed(1);
      console.log(`performance: export of 2 s of gait2392 (${frames} frames, 92 muscles, activations, GRF, hip reaction): ` +
        `${(size / 1e6).toFixed(2)} MB (limit 10 MB)`);
      const cpu = (r) => (r.cpu ? `CPU per frame ${r.cpu.all.toFixed(1)} ms (GPU process ${r.cpu['gpu-process'].toFixed(1)}, ` +
        `page ${r.cpu.renderer.toFixed(1)})` : 'CPU per frame not measured (no /proc)');
      console.log(`performance: gait2392 playing at 1280x720: ${play.fps.toFixed(1)} frames/s (goal 60; median frame ` +
        `${play.medianFrameMs.toFixed(1)} ms, 90th percentile ${play.p90FrameMs.toFixed(1)} ms; render call ` +
        `${play.medianJsMs.toFixed(2)} ms; ${cpu(play)}); first render ${firstRender.ms.toFixed(0)} ms after navigation start`);
      console.log(`performance: the same page with an empty scene: ${empty.fps.toFixed(1)} frames/s, ${cpu(empty)}`);
      console.log(`performance: Rajagopal-size model (${rajCounts.geometries} meshes, ${rajCounts.muscles} muscles): first render ` +
        `${rajFirst.ms.toFixed(0)} ms after navigation start (goal 2000; WebGL context ${rajFirst.context.toFixed(0)} ms, ` +
        `scene ${rajFirst.build.toFixed(0)} ms, first draw ${rajFirst.firstRender.toFixed(0)} ms); load average ${load}`);
      check(size <= 10e6, `the 2 s export is ${(size / 1e6).toFixed(2)} MB, above 10 MB`);
    } finally {
      await browser.close();
    }
  },
};

const name = process.argv[2];
if (!tests[name]) {
  console.error(`usage: browser_test.mjs TEST (one of: ${Object.keys(tests).join(', ')})`);
  process.exit(2);
}
try {
  check(fs.existsSync(FEMUR), `femur binary not found at ${FEMUR} (set FEMUR_CLI)`);
  await tests[name]();
  process.exit(0);
} catch (e) {
  if (e instanceof Skip) {
    console.log(`skipped: ${e.message}`);
    process.exit(SKIP);
  }
  console.error(`FAILED ${name}: ${e.message}`);
  process.exit(1);
}
