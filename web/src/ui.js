// The viewer's controls, drawn over the canvas: title, warnings, toggles, camera presets,
// colour legend, force readout and the timeline (play/pause, scrub, speed).
import { cssGradient } from './colours.js';

function el(tag, className, parent, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  if (parent) parent.appendChild(e);
  return e;
}

export function formatTime(t) {
  return `${t.toFixed(3)} s`;
}

// Builds the overlay inside `root` and returns the elements the viewer updates.
// `has` says which layers exist: {geometry, bones, muscles, markers, experimentalMarkers,
// wraps, contact, arrows, colour, motion}.
export function buildUi(root, scene, has) {
  const ui = {};
  const top = el('div', 'fv-top', root);
  const titleBox = el('div', 'fv-title', top);
  el('div', 'fv-name', titleBox, scene.title || 'femur view');
  if (scene.subtitle) el('div', 'fv-sub', titleBox, scene.subtitle);

  const tools = el('div', 'fv-tools', top);
  ui.viewButtons = {};
  const views = el('div', 'fv-group', tools);
  for (const [key, label] of [
    ['front', 'Front'],
    ['side', 'Side'],
    ['top', 'Top'],
  ]) {
    const b = el('button', 'fv-button', views, label);
    b.type = 'button';
    b.dataset.view = key;
    b.title = `${label} view`;
    ui.viewButtons[key] = b;
  }
  ui.toggles = {};
  const layers = el('div', 'fv-group', tools);
  const toggle = (key, label, on, title) => {
    const l = el('label', 'fv-toggle', layers);
    const c = el('input', '', l);
    c.type = 'checkbox';
    c.checked = on;
    c.dataset.layer = key;
    el('span', '', l, label);
    l.title = title;
    ui.toggles[key] = c;
  };
  if (has.geometry || has.bones) toggle('bones', 'Bones', true, 'Bone meshes (or bones drawn between joints)');
  if (has.muscles) toggle('muscles', 'Muscles', true, 'Muscle paths, wrapped');
  if (has.markers) toggle('markers', 'Markers', false, 'Model markers');
  if (has.experimentalMarkers) toggle('experimentalMarkers', 'Measured', true, 'Measured marker positions');
  if (has.wraps) toggle('wraps', 'Wrap surfaces', false, 'Wrap surfaces of the muscle paths');
  if (has.contact) toggle('contact', 'Contact', true, 'Contact geometry: spheres, meshes and half spaces (the floor)');
  toggle('frames', 'Joint frames', false, 'Joint frames (x red, y green, z blue)');
  if (has.arrows) toggle('arrows', 'Forces', true, 'Ground reaction and joint reaction forces');
  toggle('follow', 'Follow', has.motion, 'Camera follows the model');

  // Under the title, in the top bar's flow: never over the toggles, however narrow the view.
  ui.warnings = el('div', 'fv-warnings', titleBox);
  ui.warnings.hidden = scene.warnings.length === 0;
  if (scene.warnings.length) {
    const head = el('div', 'fv-warnings-head', ui.warnings, `⚠ ${scene.warnings.length} warning${scene.warnings.length > 1 ? 's' : ''}`);
    head.title = 'Click to show or hide';
    const list = el('ul', 'fv-warnings-list', ui.warnings);
    for (const w of scene.warnings) el('li', '', list, w);
    head.addEventListener('click', () => list.classList.toggle('fv-collapsed'));
  }

  ui.info = el('div', 'fv-info', root);
  if (has.colour) {
    const legend = el('div', 'fv-legend', root);
    el('div', 'fv-legend-label', legend, scene.frames.colourLabel || 'activation');
    const bar = el('div', 'fv-legend-bar', legend);
    bar.style.background = cssGradient();
    const ticks = el('div', 'fv-legend-ticks', legend);
    el('span', '', ticks, '0');
    el('span', '', ticks, '0.5');
    el('span', '', ticks, '1');
  }

  const bottom = el('div', 'fv-timeline', root);
  ui.play = el('button', 'fv-button fv-play', bottom, '▶');
  ui.play.type = 'button';
  ui.play.title = 'Play / pause (space)';
  ui.slider = el('input', 'fv-slider', bottom);
  ui.slider.type = 'range';
  ui.slider.min = '0';
  ui.slider.max = String(Math.max(0, scene.frames.count - 1));
  ui.slider.step = 'any';
  ui.slider.value = '0';
  ui.slider.title = 'Time';
  ui.time = el('span', 'fv-time', bottom, scene.frames.labels ? scene.frames.labels[0] : formatTime(scene.frames.time[0]));
  ui.speed = el('select', 'fv-speed', bottom);
  ui.speed.title = 'Playback speed';
  for (const s of [0.1, 0.25, 0.5, 1, 2]) {
    const o = el('option', '', ui.speed, `${s}×`);
    o.value = String(s);
    if (s === 1) o.selected = true;
  }
  if (!has.motion) bottom.classList.add('fv-static');
  return ui;
}
