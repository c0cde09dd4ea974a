// One 3D view of a femur scene (scene.js): bodies with their meshes (or bones drawn between
// joints), muscle paths as thick lines coloured by activation or force, markers, wrap
// surfaces, joint frames and force arrows, placed at the poses femur computed for each frame.
// Between frames poses are interpolated (positions linearly, rotations by slerp). Renders
// only when something changes, or every animation frame while playing.
import * as THREE from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { LineMaterial } from 'three/addons/lines/LineMaterial.js';
import { LineSegments2 } from 'three/addons/lines/LineSegments2.js';
import { LineSegmentsGeometry } from 'three/addons/lines/LineSegmentsGeometry.js';

import * as C from './colours.js';
import { buildUi, formatTime } from './ui.js';

const MUSCLE_WIDTH = 0.011; // m
const PATH_WIDTH = 0.005; // m, paths that are not muscles
const BONE_RADIUS = 0.012; // m
const JOINT_RADIUS = 0.02; // m
const MARKER_RADIUS = 0.008; // m
const ARROW_RADIUS = 0.009; // m

const _q0 = new THREE.Quaternion();
const _q1 = new THREE.Quaternion();
const _v0 = new THREE.Vector3();
const _v1 = new THREE.Vector3();
const _v2 = new THREE.Vector3();
const _q2 = new THREE.Quaternion();
const _root = new THREE.Vector3();
const _m = new THREE.Matrix4();
const _up = new THREE.Vector3(0, 1, 0);
const _rgb = [0, 0, 0];

// True when WebGL runs on the CPU (SwiftShader, llvmpipe: headless browsers, machines without
// a GPU). There the viewer draws without multisampling, which costs about half the frame rate
// in software. Checked once per page on a throwaway context.
let softwareRenderer = null;
export function isSoftwareRenderer() {
  if (softwareRenderer !== null) return softwareRenderer;
  softwareRenderer = false;
  try {
    const gl = document.createElement('canvas').getContext('webgl2') || document.createElement('canvas').getContext('webgl');
    if (gl) {
      const info = gl.getExtension('WEBGL_debug_renderer_info');
      const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
      softwareRenderer = /swiftshader|llvmpipe|softpipe|software/i.test(name);
      const lose = gl.getExtension('WEBGL_lose_context');
      if (lose) lose.loseContext();
    }
  } catch (e) {
    softwareRenderer = false;
  }
  return softwareRenderer;
}

function colour(rgb) {
  return new THREE.Color(rgb[0], rgb[1], rgb[2]);
}

function applyPose(object, pose) {
  object.position.set(pose[0], pose[1], pose[2]);
  object.quaternion.set(pose[3], pose[4], pose[5], pose[6]);
}

// A cylinder from a to b (body frame), for bones and placeholders.
function segment(a, b, radius, material) {
  const from = new THREE.Vector3(...a);
  const to = new THREE.Vector3(...b);
  const length = from.distanceTo(to);
  const mesh = new THREE.Mesh(new THREE.CylinderGeometry(radius, radius, length, 12, 1), material);
  mesh.position.copy(from).add(to).multiplyScalar(0.5);
  mesh.quaternion.setFromUnitVectors(_up, to.clone().sub(from).normalize());
  return mesh;
}

export class Viewer {
  constructor(container, scene, options = {}) {
    const start = performance.now();
    this.container = container;
    this.scene = scene;
    this.options = options;
    this.frames = scene.frames;
    this.frameCount = scene.frames.count;
    this.time = scene.frames.time[0];
    this.playing = false;
    this.speed = 1;
    this.follow = true;
    this.pending = false;
    this.lastTick = null;
    this.tickTimes = []; // requestAnimationFrame timestamps while playing (for measurements)
    this.renderTimes = []; // milliseconds spent in each render call

    container.classList.add('fv-root');
    if (!container.hasAttribute('tabindex')) container.tabIndex = 0;
    this.software = isSoftwareRenderer();
    this.renderer = new THREE.WebGLRenderer({
      antialias: !this.software,
      alpha: false, // an opaque canvas: the compositor copies it without blending
      stencil: false,
      powerPreference: 'high-performance',
      preserveDrawingBuffer: !!options.preserveDrawingBuffer,
    });
    // In software WebGL every pixel costs CPU: a high-density screen is drawn at CSS pixels
    // (4x fewer at devicePixelRatio 2); with a GPU at up to 2x.
    this.renderer.setPixelRatio(this.software ? 1 : Math.min(window.devicePixelRatio || 1, 2));
    // Querying each shader's compile status makes the page wait for the GPU process at every
    // program; a link error still shows in the console when WebGL reports it.
    this.renderer.debug.checkShaderErrors = false;
    this.renderer.domElement.className = 'fv-canvas';
    container.appendChild(this.renderer.domElement);

    this.world = new THREE.Scene();
    this.world.background = new THREE.Color(0.955, 0.96, 0.965);
    this.world.add(new THREE.HemisphereLight(0xffffff, 0x8a8580, 1.6));
    const sun = new THREE.DirectionalLight(0xffffff, 1.4);
    sun.position.set(2, 4, 3);
    this.world.add(sun);
    const fill = new THREE.DirectionalLight(0xffffff, 0.5);
    fill.position.set(-3, 1, -2);
    this.world.add(fill);

    this.camera = new THREE.PerspectiveCamera(35, 1, 0.01, 100);
    this.controls = new OrbitControls(this.camera, this.renderer.domElement);
    this.controls.addEventListener('change', () => this.requestRender());

    this.layers = {
      bones: new THREE.Group(),
      muscles: new THREE.Group(),
      markers: new THREE.Group(),
      experimentalMarkers: new THREE.Group(),
      wraps: new THREE.Group(),
      frames: new THREE.Group(),
      contact: new THREE.Group(),
      arrows: new THREE.Group(),
    };
    for (const g of Object.values(this.layers)) this.world.add(g);

    const built0 = performance.now();
    this.buildBodies();
    this.buildMuscles();
    this.buildMarkers();
    this.buildArrows();

    const has = {
      geometry: this.geometryCount > 0,
      bones: this.boneCount > 0,
      muscles: this.muscles.length > 0,
      markers: scene.markers.length > 0,
      experimentalMarkers: !!this.frames.experimentalMarkers,
      wraps: scene.wraps.length > 0,
      contact: (scene.contact || []).some((c) => c.kind === 'sphere' || c.kind === 'half_space' || c.kind === 'mesh'),
      arrows: this.arrows.length > 0,
      colour: !!this.frames.colour,
      motion: this.frameCount > 1,
    };
    this.follow = has.motion;
    this.ui = buildUi(container, scene, has);
    this.bindUi();
    for (const [key, input] of Object.entries(this.ui.toggles)) this.setLayer(key, input.checked);

    this.resize();
    this.applyTime(this.time);
    this.fitCamera();
    this.setView(options.view || 'side');
    if (typeof ResizeObserver !== 'undefined') {
      this.resizeObserver = new ResizeObserver(() => {
        this.resize();
        this.requestRender();
      });
      this.resizeObserver.observe(container);
    }
    const render0 = performance.now();
    this.render();
    // Milliseconds: WebGL context, scene graph, first render (shader compilation included).
    this.timings = { context: built0 - start, build: render0 - built0, firstRender: performance.now() - render0 };
  }

  // ---- Building the scene graph.

  buildBodies() {
    const s = this.scene;
    this.bodyGroups = s.bodies.map((b) => {
      const g = new THREE.Group();
      g.name = b.name;
      return g;
    });
    // Each body appears in several layers (bones, wraps, frames): one group per layer and body.
    this.bodyLayerGroups = { bones: [], wraps: [], frames: [], contact: [] };
    for (const layer of Object.keys(this.bodyLayerGroups)) {
      this.bodyLayerGroups[layer] = s.bodies.map((b) => {
        const g = new THREE.Group();
        g.name = `${b.name}:${layer}`;
        this.layers[layer].add(g);
        return g;
      });
    }

    const meshGeometries = s.meshes.map((m) => {
      const g = new THREE.BufferGeometry();
      g.setAttribute('position', new THREE.BufferAttribute(m.positions, 3));
      g.setIndex(new THREE.BufferAttribute(m.indices, 1));
      g.computeVertexNormals();
      g.computeBoundingSphere();
      return g;
    });
    const materials = new Map();
    // Meshes femur found closed and wound one way (outward, flipped if need be) are drawn
    // one-sided; the others both sides, as OpenSim meshes do not all wind their triangles
    // alike. Culling back faces saves about a sixth of the frame in software WebGL.
    const material = (rgb, opacity, oneSided = false) => {
      const white = rgb[0] >= 0.999 && rgb[1] >= 0.999 && rgb[2] >= 0.999;
      const c = white ? C.BONE : rgb; // OpenSim's default white is shown as bone
      const key = `${c.join(',')}|${opacity}|${oneSided}`;
      if (!materials.has(key))
        materials.set(
          key,
          new THREE.MeshLambertMaterial({
            color: colour(c),
            side: oneSided && opacity >= 1 ? THREE.FrontSide : THREE.DoubleSide,
            transparent: opacity < 1,
            opacity,
          }),
        );
      return materials.get(key);
    };
    const placeholderMaterial = new THREE.MeshLambertMaterial({
      color: colour(C.PLACEHOLDER),
      transparent: true,
      opacity: 0.75,
    });
    const boneMaterial = material(C.BONE, 1);

    const bonesOf = s.bodies.map(() => []);
    for (const b of s.bones) bonesOf[b.body].push(b);
    const hasGeometry = s.bodies.map(() => false);
    this.geometryCount = 0;
    this.placeholderCount = 0;
    for (const g of s.geometry) {
      hasGeometry[g.body] = true;
      let object;
      if (g.shape === 'mesh' && g.mesh >= 0) {
        object = new THREE.Mesh(meshGeometries[g.mesh], material(g.color, g.opacity, s.meshes[g.mesh].oneSided));
        applyPose(object, g.pose);
        object.scale.set(g.scale[0], g.scale[1], g.scale[2]);
        object.userData = { kind: 'geometry', name: g.name, file: g.file };
        this.geometryCount++;
      } else if (g.shape === 'mesh') {
        // Missing mesh: the body's bones in orange, or a small box at the geometry's place.
        object = new THREE.Group();
        if (bonesOf[g.body].length) {
          for (const b of bonesOf[g.body]) object.add(segment(b.from, b.to, 2 * BONE_RADIUS, placeholderMaterial));
        } else {
          const box = new THREE.Mesh(new THREE.BoxGeometry(0.06, 0.06, 0.06), placeholderMaterial);
          applyPose(box, g.pose);
          object.add(box);
        }
        object.userData = { kind: 'placeholder', name: g.name, file: g.file };
        this.placeholderCount++;
      } else {
        const d = g.dimensions;
        let geometry;
        const extra = [1, 1, 1];
        if (g.shape === 'sphere') geometry = new THREE.SphereGeometry(d[0], 24, 16);
        else if (g.shape === 'cylinder') geometry = new THREE.CylinderGeometry(d[0], d[0], 2 * d[1], 24);
        else if (g.shape === 'brick') geometry = new THREE.BoxGeometry(2 * d[0], 2 * d[1], 2 * d[2]);
        else if (g.shape === 'ellipsoid') {
          geometry = new THREE.SphereGeometry(1, 24, 16);
          extra[0] = d[0];
          extra[1] = d[1];
          extra[2] = d[2];
        } else geometry = new THREE.TorusGeometry(d[0], d[1], 12, 32);
        object = new THREE.Mesh(geometry, material(g.color, g.opacity));
        applyPose(object, g.pose);
        object.scale.set(g.scale[0] * extra[0], g.scale[1] * extra[1], g.scale[2] * extra[2]);
        object.userData = { kind: 'geometry', name: g.name, shape: g.shape };
        this.geometryCount++;
      }
      this.bodyLayerGroups.bones[g.body].add(object);
    }
    // Bodies without any geometry: bones between the joints, a ball at each joint centre.
    this.boneCount = 0;
    const jointBall = new THREE.SphereGeometry(JOINT_RADIUS, 16, 12);
    for (let b = 1; b < s.bodies.length; b++) {
      if (hasGeometry[b]) continue;
      const group = this.bodyLayerGroups.bones[b];
      for (const bone of bonesOf[b]) {
        const m = segment(bone.from, bone.to, BONE_RADIUS, boneMaterial);
        m.userData = { kind: 'bone' };
        group.add(m);
        this.boneCount++;
      }
      const ball = new THREE.Mesh(jointBall, boneMaterial);
      const own = s.bodies[b].joint_frame;
      ball.position.set(own[0], own[1], own[2]);
      ball.userData = { kind: 'bone' };
      group.add(ball);
    }

    // Wrap surfaces, in their body.
    const wrapMaterial = new THREE.MeshLambertMaterial({
      color: colour(C.WRAP),
      transparent: true,
      opacity: 0.35,
      depthWrite: false,
    });
    for (const w of s.wraps) {
      let geometry;
      const scale = [1, 1, 1];
      if (w.kind === 'cylinder') {
        geometry = new THREE.CylinderGeometry(w.radius, w.radius, w.length, 24);
        geometry.rotateX(Math.PI / 2); // OpenSim's cylinder axis is z, three's is y
      } else if (w.kind === 'sphere') {
        geometry = new THREE.SphereGeometry(w.radius, 24, 16);
      } else if (w.kind === 'ellipsoid') {
        geometry = new THREE.SphereGeometry(1, 24, 16);
        scale[0] = w.dimensions[0];
        scale[1] = w.dimensions[1];
        scale[2] = w.dimensions[2];
      } else {
        geometry = new THREE.TorusGeometry(w.outer_radius, w.inner_radius, 12, 32);
      }
      const mesh = new THREE.Mesh(geometry, wrapMaterial);
      applyPose(mesh, w.pose);
      mesh.scale.set(scale[0], scale[1], scale[2]);
      mesh.userData = { kind: 'wrap', name: w.name };
      this.bodyLayerGroups.wraps[w.body].add(mesh);
    }

    // Contact geometry: spheres in their body; a half space (everything at x > 0 of its
    // frame, OpenSim's ContactHalfSpace) as a square of its plane x = 0, sized in fitCamera;
    // a ContactMesh as its mesh (a placeholder box when femur did not find it).
    this.contactSpheres = 0;
    this.contactMeshes = 0;
    this.contactPlaceholders = 0;
    this.halfSpaces = [];
    const sphereMaterial = new THREE.MeshLambertMaterial({ color: colour(C.CONTACT), transparent: true, opacity: 0.7 });
    const contactMeshMaterial = new THREE.MeshLambertMaterial({
      color: colour(C.CONTACT),
      side: THREE.DoubleSide,
      transparent: true,
      opacity: 0.7,
    });
    const floorMaterial = new THREE.MeshLambertMaterial({
      color: colour(C.CONTACT_FLOOR),
      side: THREE.DoubleSide,
      transparent: true,
      opacity: 0.35,
      depthWrite: false,
    });
    for (const c of s.contact || []) {
      let mesh;
      if (c.kind === 'sphere') {
        mesh = new THREE.Mesh(new THREE.SphereGeometry(c.radius, 20, 14), sphereMaterial);
        this.contactSpheres++;
      } else if (c.kind === 'half_space') {
        const plane = new THREE.PlaneGeometry(1, 1);
        plane.rotateY(-Math.PI / 2); // three's plane faces +z; the half space's surface faces -x
        mesh = new THREE.Mesh(plane, floorMaterial);
        this.halfSpaces.push(mesh);
      } else if (c.kind === 'mesh' && c.mesh >= 0) {
        mesh = new THREE.Mesh(meshGeometries[c.mesh], contactMeshMaterial);
        this.contactMeshes++;
      } else if (c.kind === 'mesh') {
        mesh = new THREE.Mesh(new THREE.BoxGeometry(0.06, 0.06, 0.06), placeholderMaterial);
        this.contactPlaceholders++;
      } else continue;
      applyPose(mesh, c.pose);
      mesh.userData = { kind: 'contact', contactKind: c.kind, name: c.name };
      this.bodyLayerGroups.contact[c.body].add(mesh);
    }

    // Joint frames: each body's joint frame M, and the ground's axes.
    for (let b = 0; b < s.bodies.length; b++) {
      const axes = new THREE.AxesHelper(b === 0 ? 0.2 : 0.08);
      applyPose(axes, s.bodies[b].joint_frame);
      this.bodyLayerGroups.frames[b].add(axes);
    }
  }

  // All muscle paths are one object drawn in one call (and the other paths, thinner, a
  // second): a buffer of segments with a colour per segment end, rewritten in place each frame,
  // the paths one after the other. In software WebGL (SwiftShader) each draw call costs about
  // 0.1 ms of the GPU process, so 92 muscles drawn one by one cost ~10 ms a frame.
  buildMuscles() {
    const s = this.scene;
    const F = this.frameCount;
    const P = s.paths.length;
    this.muscles = []; // the drawn objects: {line, geometry, positions, colours, paths (indices)}
    this.pathSegments = new Int32Array(P); // segments of each path at the current frame
    for (const muscle of [true, false]) {
      const paths = [];
      for (let p = 0; p < P; p++) if (!!s.paths[p].muscle === muscle) paths.push(p);
      if (!paths.length) continue;
      let most = 1;
      for (let i = 0; i < F; i++) {
        let n = 0;
        for (const p of paths) n += Math.max(0, this.frames.pathCounts[i * P + p] - 1);
        most = Math.max(most, n);
      }
      const geometry = new LineSegmentsGeometry();
      geometry.setPositions(new Float32Array(most * 6));
      geometry.setColors(new Float32Array(most * 6));
      const material = new LineMaterial({
        color: 0xffffff,
        vertexColors: true,
        linewidth: muscle ? MUSCLE_WIDTH : PATH_WIDTH,
        worldUnits: true,
      });
      const line = new LineSegments2(geometry, material);
      line.frustumCulled = false; // its points move every frame
      line.name = muscle ? 'muscles' : 'other paths';
      line.userData = { kind: 'paths', muscle };
      this.layers.muscles.add(line);
      this.muscles.push({
        line,
        geometry,
        muscle,
        paths,
        positions: geometry.attributes.instanceStart.data,
        colours: geometry.attributes.instanceColorStart.data,
        fallback: muscle ? C.MUSCLE_DEFAULT : C.PATH_NOT_MUSCLE,
      });
    }
  }

  buildMarkers() {
    const s = this.scene;
    const sphere = new THREE.SphereGeometry(MARKER_RADIUS, 12, 8);
    this.modelMarkers = null;
    if (s.markers.length) {
      this.modelMarkers = new THREE.InstancedMesh(
        sphere,
        new THREE.MeshLambertMaterial({ color: colour(C.MODEL_MARKER) }),
        s.markers.length,
      );
      this.modelMarkers.frustumCulled = false;
      this.layers.markers.add(this.modelMarkers);
    }
    this.experimentalMarkers = null;
    if (this.frames.experimentalMarkers) {
      const n = this.frames.experimentalMarkers.names.length;
      this.experimentalMarkers = new THREE.InstancedMesh(
        sphere,
        new THREE.MeshLambertMaterial({ color: colour(C.EXPERIMENTAL_MARKER) }),
        n,
      );
      this.experimentalMarkers.frustumCulled = false;
      this.layers.experimentalMarkers.add(this.experimentalMarkers);
    }
  }

  buildArrows() {
    const s = this.scene;
    const shaft = new THREE.CylinderGeometry(1, 1, 1, 16);
    shaft.translate(0, 0.5, 0); // base at the origin, along +y
    const head = new THREE.ConeGeometry(1, 1, 20);
    head.translate(0, -0.5, 0); // tip at the origin, pointing +y
    this.arrows = s.arrows.map((a) => {
      const hip = a.kind === 'joint_reaction' && /hip/i.test(a.name);
      const rgb = a.kind === 'external' ? C.EXTERNAL_FORCE : hip ? C.HIP_REACTION : C.JOINT_REACTION;
      // Joint reactions act inside the joint: drawn through the bones, never hidden by them.
      const inside = a.kind === 'joint_reaction';
      const material = new THREE.MeshLambertMaterial({ color: colour(rgb), depthTest: !inside, transparent: inside });
      const group = new THREE.Group();
      if (inside) group.renderOrder = 10;
      const shaftMesh = new THREE.Mesh(shaft, material);
      const headMesh = new THREE.Mesh(head, material);
      shaftMesh.renderOrder = headMesh.renderOrder = inside ? 10 : 0;
      group.add(shaftMesh, headMesh);
      group.name = a.name;
      group.userData = { kind: 'arrow', arrowKind: a.kind, name: a.name, hip };
      this.layers.arrows.add(group);
      return { data: a, group, shaftMesh, headMesh, force: new THREE.Vector3(), point: new THREE.Vector3(), hip };
    });
  }

  // ---- Frames and interpolation.

  // Index i and weight w with time(i) <= t <= time(i+1).
  locate(t) {
    const time = this.frames.time;
    const n = this.frameCount;
    if (n === 1 || t <= time[0]) return [0, 0];
    if (t >= time[n - 1]) return [n - 1, 0];
    let lo = 0;
    let hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (time[mid] <= t) lo = mid;
      else hi = mid;
    }
    const span = time[hi] - time[lo];
    return [lo, span > 0 ? (t - time[lo]) / span : 0];
  }

  bodyPose(i, w, b, position, quaternion) {
    const B = this.scene.bodies.length;
    const pose = this.frames.bodyPose;
    const a = (i * B + b) * 7;
    position.set(pose[a], pose[a + 1], pose[a + 2]);
    quaternion.set(pose[a + 3], pose[a + 4], pose[a + 5], pose[a + 6]);
    if (w > 0) {
      const c = a + B * 7;
      _v1.set(pose[c], pose[c + 1], pose[c + 2]);
      position.lerp(_v1, w);
      _q1.set(pose[c + 3], pose[c + 4], pose[c + 5], pose[c + 6]);
      quaternion.slerp(_q1, w);
    }
  }

  applyTime(t) {
    const [i, w] = this.locate(t);
    this.time = t;
    this.frame = w < 0.5 ? i : i + 1;
    const s = this.scene;
    const B = s.bodies.length;
    const P = s.paths.length;
    const F = this.frames;

    for (let b = 0; b < B; b++) {
      this.bodyPose(i, w, b, _v0, _q0);
      for (const layer of ['bones', 'wraps', 'frames', 'contact']) {
        const g = this.bodyLayerGroups[layer][b];
        g.position.copy(_v0);
        g.quaternion.copy(_q0);
      }
      if (b === 1) _root.copy(_v0);
    }
    // Follow: the camera moves with the first body (the pelvis), along the floor only.
    if (B > 1) {
      if (this.follow && this.lastRoot) {
        const dx = _root.x - this.lastRoot.x;
        const dz = _root.z - this.lastRoot.z;
        this.camera.position.x += dx;
        this.camera.position.z += dz;
        this.controls.target.x += dx;
        this.controls.target.z += dz;
        this.controls.update();
      }
      this.lastRoot = (this.lastRoot || new THREE.Vector3()).copy(_root);
    }

    // Muscle paths: interpolated point by point when both frames have as many points.
    const points = F.pathPoints;
    for (const m of this.muscles) {
      const out = m.positions.array;
      const rgb = m.colours.array;
      let o = 0;
      let segments = 0;
      for (const p of m.paths) {
        const k0 = i * P + p;
        const n0 = F.pathCounts[k0];
        const k1 = Math.min(i + 1, this.frameCount - 1) * P + p;
        const n1 = F.pathCounts[k1];
        const blend = w > 0 && n0 === n1;
        const use = !blend && w >= 0.5 ? k1 : k0;
        const n = F.pathCounts[use];
        const s0 = F.pathStart[use] * 3;
        const s1 = F.pathStart[k1] * 3;
        let v = NaN;
        if (F.colour) {
          v = F.colour[k0];
          if (w > 0) v += w * (F.colour[k1] - v);
        }
        C.muscleColour(v, _rgb, m.fallback);
        const first = o;
        for (let k = 0; k + 1 < n; k++) {
          for (let e = 0; e < 2; e++) {
            const at = (k + e) * 3;
            for (let c = 0; c < 3; c++) {
              let x = points[s0 + at + c];
              if (blend) x += w * (points[s1 + at + c] - x);
              rgb[o] = _rgb[c];
              out[o++] = x;
            }
          }
        }
        this.pathSegments[p] = (o - first) / 6;
        segments += this.pathSegments[p];
      }
      m.positions.needsUpdate = true;
      m.colours.needsUpdate = true;
      m.geometry.instanceCount = segments;
    }

    // Markers fixed to bodies.
    if (this.modelMarkers) {
      s.markers.forEach((mk, k) => {
        this.bodyPose(i, w, mk.body, _v2, _q2);
        _v1.set(mk.location[0], mk.location[1], mk.location[2]).applyQuaternion(_q2).add(_v2);
        _m.makeTranslation(_v1.x, _v1.y, _v1.z);
        this.modelMarkers.setMatrixAt(k, _m);
      });
      this.modelMarkers.instanceMatrix.needsUpdate = true;
    }
    if (this.experimentalMarkers) {
      const e = F.experimentalMarkers;
      const n = e.names.length;
      const at = (w >= 0.5 ? Math.min(i + 1, this.frameCount - 1) : i) * n * 3;
      for (let k = 0; k < n; k++) {
        const x = e.positions[at + 3 * k];
        const y = e.positions[at + 3 * k + 1];
        const z = e.positions[at + 3 * k + 2];
        if (x === x && y === y && z === z) _m.makeTranslation(x, y, z);
        else _m.makeScale(0, 0, 0);
        this.experimentalMarkers.setMatrixAt(k, _m);
      }
      this.experimentalMarkers.instanceMatrix.needsUpdate = true;
    }

    // Arrows: a length of newtons_per_metre N per metre; joint reactions end at the joint.
    const perMetre = s.model.newtons_per_metre;
    const lines = [];
    for (const a of this.arrows) {
      const f = a.data.force;
      const pt = a.data.point;
      const j = Math.min(i + 1, this.frameCount - 1) * 3;
      const k = i * 3;
      a.force.set(f[k] + w * (f[j] - f[k]), f[k + 1] + w * (f[j + 1] - f[k + 1]), f[k + 2] + w * (f[j + 2] - f[k + 2]));
      a.point.set(pt[k] + w * (pt[j] - pt[k]), pt[k + 1] + w * (pt[j + 1] - pt[k + 1]), pt[k + 2] + w * (pt[j + 2] - pt[k + 2]));
      const magnitude = a.force.length();
      const visible = magnitude === magnitude && magnitude > 1 && a.point.x === a.point.x;
      a.group.visible = visible;
      if (!visible) continue;
      const length = magnitude / perMetre;
      const dir = _v1.copy(a.force).divideScalar(magnitude);
      const headLength = Math.min(0.06, 0.35 * length);
      a.group.quaternion.setFromUnitVectors(_up, dir);
      if (a.data.tip_at_point) a.group.position.copy(a.point).addScaledVector(dir, -length);
      else a.group.position.copy(a.point);
      a.shaftMesh.scale.set(ARROW_RADIUS, length - headLength, ARROW_RADIUS);
      a.headMesh.scale.set(2.2 * ARROW_RADIUS, headLength, 2.2 * ARROW_RADIUS);
      a.headMesh.position.set(0, length, 0);
      if (a.data.kind === 'joint_reaction') {
        const weight = s.model.mass * Math.hypot(...s.model.gravity);
        lines.push(`${a.data.label}: ${magnitude.toFixed(0)} N${weight > 0 ? ` (${(magnitude / weight).toFixed(2)} BW)` : ''}`);
      }
    }
    // While playing, the text and the slider follow at 10 Hz: each change repaints the overlay
    // (about 5 ms of CPU a frame in software rendering at 1280x720).
    const now = performance.now();
    if (this.ui && (!this.playing || now - (this.uiUpdated || 0) >= 100)) {
      this.uiUpdated = now;
      this.ui.info.textContent = lines.join('\n');
      this.ui.info.hidden = lines.length === 0;
      this.ui.time.textContent = F.labels ? F.labels[this.frame] : formatTime(t);
      if (document.activeElement !== this.ui.slider) this.ui.slider.value = String(i + w);
    }
  }

  // ---- Camera.

  // Fits the camera to the model over the whole motion (body origins, mesh bounds at the first frame).
  fitCamera() {
    const box = new THREE.Box3();
    this.world.updateMatrixWorld(true);
    const first = new THREE.Box3().setFromObject(this.layers.bones);
    const B = this.scene.bodies.length;
    const pose = this.frames.bodyPose;
    const poseBox = new THREE.Box3();
    for (let i = 0; i < this.frameCount; i++)
      for (let b = 1; b < B; b++) {
        const a = (i * B + b) * 7;
        poseBox.expandByPoint(_v0.set(pose[a], pose[a + 1], pose[a + 2]));
      }
    if (!first.isEmpty()) box.union(first);
    if (B > 1) box.expandByPoint(poseBox.min).expandByPoint(poseBox.max);
    if (box.isEmpty()) box.set(new THREE.Vector3(-0.5, 0, -0.5), new THREE.Vector3(0.5, 1, 0.5));
    this.bounds = box;
    // The model at the first frame is centred; the follow mode keeps it there.
    this.centre = first.isEmpty() ? box.getCenter(new THREE.Vector3()) : first.getCenter(new THREE.Vector3());
    this.size = first.isEmpty() ? box.getSize(new THREE.Vector3()) : first.getSize(new THREE.Vector3());
    this.size.max(new THREE.Vector3(0.3, 0.3, 0.3));
    // Floor grid at the lowest point of the model (the ground for a standing model).
    const floorY = Math.min(0, box.min.y);
    if (this.grid) this.world.remove(this.grid);
    const extent = Math.max(4, Math.ceil(2 * (box.max.x - box.min.x + box.max.z - box.min.z)));
    this.grid = new THREE.GridHelper(extent, extent * 4, 0xb8bcc4, 0xd8dbe0);
    this.grid.position.set(this.centre.x, floorY - 0.001, this.centre.z);
    this.world.add(this.grid);
    for (const h of this.halfSpaces) h.scale.set(1, extent, extent);
  }

  setView(name) {
    // Far enough for the model at the first frame to fill the view with a margin: its extent
    // across and up the screen against the vertical and horizontal fields of view.
    const sz = this.size;
    const [across, up, depth] = name === 'front' ? [sz.z, sz.y, sz.x] : name === 'top' ? [sz.z, sz.x, sz.y] : [sz.x, sz.y, sz.z];
    const tanV = Math.tan(THREE.MathUtils.degToRad(this.camera.fov / 2));
    // (1.35: room for the controls drawn over the top and bottom of the view)
    const distance = 1.35 * Math.max(up / 2 / tanV, across / 2 / (tanV * this.camera.aspect)) + depth / 2;
    const target = this.controls.target.lengthSq() > 0 && this.viewName ? this.controls.target.clone() : this.centre.clone();
    const dirs = {
      front: new THREE.Vector3(1, 0.12, 0), // OpenSim's x points forward: look from the front
      side: new THREE.Vector3(0.02, 0.12, 1), // from the right side (+z)
      top: new THREE.Vector3(0, 1, 0.0001),
    };
    const dir = (dirs[name] || dirs.side).clone().normalize();
    this.camera.up.set(name === 'top' ? 1 : 0, name === 'top' ? 0 : 1, 0);
    this.camera.position.copy(target).addScaledVector(dir, distance);
    this.camera.near = Math.max(0.005, distance / 100);
    this.camera.far = distance * 20;
    this.camera.updateProjectionMatrix();
    this.controls.target.copy(target);
    this.controls.update();
    this.viewName = name;
    this.requestRender();
  }

  // ---- Layers, UI, playback.

  setLayer(key, on) {
    if (key === 'follow') {
      this.follow = on;
      return;
    }
    if (this.layers[key]) this.layers[key].visible = on;
    if (this.ui && this.ui.toggles[key]) this.ui.toggles[key].checked = on;
    this.requestRender();
  }

  bindUi() {
    const ui = this.ui;
    for (const [key, b] of Object.entries(ui.viewButtons)) b.addEventListener('click', () => this.setView(key));
    for (const [key, input] of Object.entries(ui.toggles))
      input.addEventListener('change', () => this.setLayer(key, input.checked));
    ui.play.addEventListener('click', () => (this.playing ? this.pause() : this.play()));
    ui.slider.addEventListener('input', () => {
      this.pause();
      const x = parseFloat(ui.slider.value);
      const i = Math.floor(x);
      const w = x - i;
      const time = this.frames.time;
      const t = i + 1 < this.frameCount ? time[i] + w * (time[i + 1] - time[i]) : time[this.frameCount - 1];
      this.applyTime(t);
      this.requestRender();
    });
    ui.speed.addEventListener('change', () => {
      this.speed = parseFloat(ui.speed.value);
    });
    this.container.addEventListener('keydown', (e) => {
      if (e.key === ' ' && e.target.tagName !== 'SELECT') {
        e.preventDefault();
        if (this.playing) this.pause();
        else this.play();
      }
    });
  }

  play() {
    if (this.frameCount < 2) return;
    this.playing = true;
    this.lastTick = null;
    this.ui.play.textContent = '❚❚';
    this.requestRender();
  }

  pause() {
    const was = this.playing;
    this.playing = false;
    this.ui.play.textContent = '▶';
    if (was) this.applyTime(this.time); // the overlay shows the time paused at
  }

  // Shows frame i exactly and renders now (or only places everything, render = false).
  setFrame(i, render = true) {
    this.pause();
    const k = Math.max(0, Math.min(this.frameCount - 1, i | 0));
    this.applyTime(this.frames.time[k]);
    if (render) this.render();
    else this.requestRender();
  }

  resize() {
    const w = Math.max(1, this.container.clientWidth);
    const h = Math.max(1, this.container.clientHeight);
    this.renderer.setSize(w, h, false);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
  }

  requestRender() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame((ts) => this.tick(ts));
  }

  tick(ts) {
    this.pending = false;
    if (this.playing) {
      if (this.lastTick !== null) {
        const time = this.frames.time;
        const start = time[0];
        const end = time[this.frameCount - 1];
        let t = this.time + ((ts - this.lastTick) / 1000) * this.speed;
        if (t > end) t = start + ((t - start) % (end - start || 1));
        this.applyTime(t);
      }
      this.lastTick = ts;
      this.tickTimes.push(ts);
      if (this.tickTimes.length > 2000) this.tickTimes.splice(0, 1000);
    }
    this.render();
    if (this.playing) this.requestRender();
  }

  render() {
    const t0 = performance.now();
    this.renderer.render(this.world, this.camera);
    this.renderTimes.push(performance.now() - t0);
    if (this.renderTimes.length > 2000) this.renderTimes.splice(0, 1000);
    if (!this.firstRender) this.firstRender = performance.now();
  }

  // ---- For tests and measurements.

  counts() {
    let geometries = 0;
    let placeholders = 0;
    let bones = 0;
    this.layers.bones.traverse((o) => {
      if (o.userData.kind === 'geometry') geometries++;
      else if (o.userData.kind === 'placeholder') placeholders++;
      else if (o.userData.kind === 'bone') bones++;
    });
    // Paths drawn at the current frame: one polyline of at least one segment each, in the
    // muscles' or the other paths' buffer.
    let muscles = 0;
    let paths = 0;
    for (const m of this.muscles)
      for (const p of m.paths) {
        if (this.pathSegments[p] < 1) continue;
        paths++;
        if (m.muscle) muscles++;
      }
    return {
      bodies: this.scene.bodies.length - 1,
      geometries,
      placeholders,
      bones,
      paths,
      muscles,
      arrows: this.arrows.length,
      contactSpheres: this.contactSpheres,
      halfSpaces: this.halfSpaces.length,
      contactMeshes: this.contactMeshes,
      contactPlaceholders: this.contactPlaceholders,
      warnings: this.scene.warnings.length,
      frames: this.frameCount,
    };
  }

  // The drawn joint-reaction arrows at the current frame, read back from the scene graph, with
  // the origins of the two bodies of the joint.
  reactionArrows() {
    this.world.updateMatrixWorld(true);
    return this.arrows
      .filter((a) => a.data.kind === 'joint_reaction')
      .map((a) => {
        const tail = a.group.getWorldPosition(new THREE.Vector3());
        const dir = _up.clone().applyQuaternion(a.group.getWorldQuaternion(new THREE.Quaternion()));
        const length = a.headMesh.position.y;
        const tip = tail.clone().addScaledVector(dir, length);
        const parentBody = a.data.body;
        const parent = this.bodyLayerGroups.bones[parentBody].getWorldPosition(new THREE.Vector3());
        return {
          name: a.data.name,
          label: a.data.label,
          visible: a.group.visible,
          tip: tip.toArray(),
          tail: tail.toArray(),
          direction: dir.toArray(),
          force: a.force.toArray(),
          parentOrigin: parent.toArray(),
          parentName: this.scene.bodies[parentBody].name,
        };
      });
  }
}
