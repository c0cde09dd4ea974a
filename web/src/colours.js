// Colours of the viewer. Muscles go from blue (inactive) to red (fully active, or at their
// maximum isometric force), as OpenSim's GUI colours them by activation.

export const BONE = [0.91, 0.87, 0.8];
export const PLACEHOLDER = [0.95, 0.55, 0.15];
export const MUSCLE_DEFAULT = [0.8, 0.12, 0.12]; // OpenSim's GeometryPath default colour
export const PATH_NOT_MUSCLE = [0.95, 0.78, 0.2]; // path springs (e.g. a nerve), path actuators
export const EXTERNAL_FORCE = [0.15, 0.65, 0.3];
export const HIP_REACTION = [1.0, 0.5, 0.0];
export const JOINT_REACTION = [0.85, 0.65, 0.1];
export const MODEL_MARKER = [0.95, 0.35, 0.65];
export const EXPERIMENTAL_MARKER = [0.2, 0.45, 0.95];
export const WRAP = [0.45, 0.75, 0.95];
export const CONTACT = [0.2, 0.7, 0.6];
export const CONTACT_FLOOR = [0.55, 0.6, 0.66];

const STOPS = [
  [0.0, [0.18, 0.3, 0.88]],
  [0.5, [0.62, 0.22, 0.62]],
  [1.0, [0.95, 0.1, 0.08]],
];

// Writes the colour of value v in [0, 1] into out (an array of 3); NaN gives the default.
export function muscleColour(v, out, fallback = MUSCLE_DEFAULT) {
  if (!(v === v)) {
    out[0] = fallback[0];
    out[1] = fallback[1];
    out[2] = fallback[2];
    return out;
  }
  const x = v < 0 ? 0 : v > 1 ? 1 : v;
  let k = 0;
  while (k < STOPS.length - 2 && x > STOPS[k + 1][0]) k++;
  const [x0, c0] = STOPS[k];
  const [x1, c1] = STOPS[k + 1];
  const w = (x - x0) / (x1 - x0);
  for (let i = 0; i < 3; i++) out[i] = c0[i] + w * (c1[i] - c0[i]);
  return out;
}

export function cssGradient() {
  const tmp = [0, 0, 0];
  const parts = [];
  for (let i = 0; i <= 10; i++) {
    muscleColour(i / 10, tmp);
    parts.push(`rgb(${Math.round(tmp[0] * 255)},${Math.round(tmp[1] * 255)},${Math.round(tmp[2] * 255)}) ${i * 10}%`);
  }
  return `linear-gradient(to right, ${parts.join(', ')})`;
}
