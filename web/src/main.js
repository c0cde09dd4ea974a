// Entry point of femur's viewer bundle. Every element with class "femur-view" becomes a 3D
// view of the scene it names: data-scene = the id of an inline <script type="application/json">
// (femur view --export, the report), or data-scene-url = where to fetch it (femur view's
// server). Views start when they first come into sight, so a report with many stays light.
//
// For tests and measurements: window.femur.viewers (one Viewer per element, in page order),
// window.femur.ready (resolves when every view in sight has rendered once),
// window.femur.firstRenderMs (time from navigation start to the first rendered view).
import css from './viewer.css';
import { decodeScene } from './scene.js';
import { Viewer } from './viewer.js';

const femur = (window.femur = window.femur || { viewers: [], errors: [] });
femur.scriptStart = performance.now();

function addStyle() {
  if (document.getElementById('femur-view-style')) return;
  const style = document.createElement('style');
  style.id = 'femur-view-style';
  style.textContent = css;
  document.head.appendChild(style);
}

function showError(container, message) {
  container.classList.add('fv-root');
  const box = document.createElement('div');
  box.className = 'fv-error';
  box.textContent = `femur view: ${message}`;
  container.appendChild(box);
  femur.errors.push(message);
}

async function loadScene(container) {
  if (container.dataset.scene) {
    const block = document.getElementById(container.dataset.scene);
    if (!block) throw new Error(`no scene data '${container.dataset.scene}' in the page`);
    return JSON.parse(block.textContent);
  }
  if (container.dataset.sceneUrl) {
    const response = await fetch(container.dataset.sceneUrl);
    if (!response.ok) throw new Error(`${container.dataset.sceneUrl}: HTTP ${response.status}`);
    return response.json();
  }
  throw new Error('the element names no scene (data-scene or data-scene-url)');
}

async function start(container, index) {
  try {
    const t0 = performance.now();
    const doc = await loadScene(container);
    const t1 = performance.now();
    const scene = decodeScene(doc);
    const t2 = performance.now();
    const viewer = new Viewer(container, scene, {
      view: container.dataset.view,
      preserveDrawingBuffer: container.dataset.preserveDrawingBuffer === 'true',
    });
    femur.viewers[index] = viewer;
    // Milliseconds: scene read and parsed, decoded, then the viewer's own (viewer.js).
    viewer.timings = { scriptStart: femur.scriptStart, load: t1 - t0, decode: t2 - t1, ...viewer.timings, firstRenderAt: viewer.firstRender };
    if (femur.firstRenderMs === undefined) femur.firstRenderMs = viewer.firstRender;
    if (container.dataset.autoplay === 'true') viewer.play();
    return viewer;
  } catch (e) {
    showError(container, e && e.message ? e.message : String(e));
    return null;
  }
}

function main() {
  addStyle();
  const containers = Array.from(document.querySelectorAll('.femur-view'));
  const started = containers.map(() => null);
  const starts = [];
  const begin = (c, i) => {
    if (!started[i]) started[i] = start(c, i);
    return started[i];
  };
  if (typeof IntersectionObserver !== 'undefined' && containers.length > 1) {
    // Views start when first visible; ready waits for the ones visible at load.
    let resolveReady;
    femur.ready = new Promise((r) => (resolveReady = r));
    let pendingFirst = true;
    const observer = new IntersectionObserver((entries) => {
      const now = [];
      for (const e of entries) {
        if (!e.isIntersecting) continue;
        const i = containers.indexOf(e.target);
        now.push(begin(e.target, i));
        observer.unobserve(e.target);
      }
      if (pendingFirst) {
        pendingFirst = false;
        Promise.all(now).then(() => resolveReady());
      }
    });
    containers.forEach((c) => observer.observe(c));
    femur.startAll = () => Promise.all(containers.map((c, i) => begin(c, i)));
  } else {
    containers.forEach((c, i) => starts.push(begin(c, i)));
    femur.ready = Promise.all(starts).then(() => undefined);
    femur.startAll = () => femur.ready;
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', main);
else main();
