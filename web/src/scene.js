// Decodes the scene document femur writes (src/web/scene.cpp): JSON whose binary arrays are
// {type: "f32" | "u16" | "u32", length, data: base64 of little-endian values}.
//
// Layout of the per-frame arrays (F frames, B bodies, P paths):
//   frames.time          f32[F]
//   frames.body_pose     f32[F * B * 7]   position x y z, quaternion x y z w of each body frame, in ground
//   frames.path_counts   u16[F * P]       points of each path in each frame
//   frames.path_points   f32[sum * 3]     the points, frame by frame, path by path, in ground
//   frames.colour        f32[F * P]       optional: activation or force / max force, NaN = none
//   frames.experimental_markers.positions f32[F * M * 3], NaN = missing
//   arrows[k].force, .point               f32[F * 3], in ground (NaN = no data at that frame)
//   frames.labels        optional, one string per frame, shown instead of the time

const TYPES = { f32: Float32Array, u16: Uint16Array, u32: Uint32Array };

function decodeBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function typedArray(a) {
  const Type = TYPES[a.type];
  if (!Type) throw new Error(`femur scene: unknown array type '${a.type}'`);
  const bytes = decodeBase64(a.data);
  if (bytes.byteLength !== a.length * Type.BYTES_PER_ELEMENT)
    throw new Error(`femur scene: array of ${a.length} ${a.type} has ${bytes.byteLength} bytes`);
  return new Type(bytes.buffer, bytes.byteOffset, a.length);
}

export function decodeScene(doc) {
  if (doc.format !== 'femur-view') throw new Error('not a femur scene document');
  if (doc.version !== 1) throw new Error(`femur scene version ${doc.version} is not supported by this page`);
  const F = doc.frames.count;
  const B = doc.bodies.length;
  const P = doc.paths.length;
  const frames = {
    count: F,
    time: typedArray(doc.frames.time),
    bodyPose: typedArray(doc.frames.body_pose),
    pathCounts: typedArray(doc.frames.path_counts),
    pathPoints: typedArray(doc.frames.path_points),
    colour: doc.frames.colour ? typedArray(doc.frames.colour) : null,
    colourLabel: doc.frames.colour_label || '',
    labels: Array.isArray(doc.frames.labels) && doc.frames.labels.length === F ? doc.frames.labels : null,
    experimentalMarkers: doc.frames.experimental_markers
      ? { names: doc.frames.experimental_markers.names, positions: typedArray(doc.frames.experimental_markers.positions) }
      : null,
  };
  if (frames.time.length !== F || frames.bodyPose.length !== F * B * 7 || frames.pathCounts.length !== F * P)
    throw new Error('femur scene: frame arrays disagree with the frame, body and path counts');
  // Where each frame's path points start (in points), and each path's within its frame.
  frames.pathStart = new Uint32Array(F * P + 1);
  let total = 0;
  for (let i = 0; i < F * P; i++) {
    frames.pathStart[i] = total;
    total += frames.pathCounts[i];
  }
  frames.pathStart[F * P] = total;
  if (total * 3 !== frames.pathPoints.length) throw new Error('femur scene: path points disagree with their counts');
  return {
    title: doc.title,
    subtitle: doc.subtitle,
    model: doc.model,
    bodies: doc.bodies,
    bones: doc.bones,
    meshes: doc.meshes.map((m) => ({
      file: m.file,
      oneSided: !!m.one_sided, // closed and wound outward: back faces may be culled
      positions: typedArray(m.positions),
      indices: typedArray(m.indices),
    })),
    geometry: doc.geometry,
    paths: doc.paths,
    markers: doc.markers,
    wraps: doc.wraps,
    contact: doc.contact || [],
    arrows: doc.arrows.map((a) => ({ ...a, force: typedArray(a.force), point: typedArray(a.point) })),
    frames,
    warnings: doc.warnings || [],
  };
}
