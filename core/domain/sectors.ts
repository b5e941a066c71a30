/**
 * Jembatan's controlled sector taxonomy (documented in docs/TAXONOMY.md).
 * Small on purpose: a listing has one to three sectors; statistics group by them.
 */
export const SECTORS = [
  'agrifood', // agriculture, aquaculture, fisheries, food processing
  'health', // medicine, medical devices, biotechnology, public health
  'energy', // power generation, storage, batteries, efficiency
  'environment', // water, waste, pollution, climate, earth observation
  'materials', // materials, coatings, chemicals, nanotechnology
  'manufacturing', // manufacturing processes, mechanical and fluid systems, industrial tools
  'electronics', // electronics, sensors, instrumentation, optics, photonics
  'ict', // software, data, AI, communications, networks
  'robotics', // robotics, automation, control, autonomous systems
  'aerospace', // aircraft, spacecraft, propulsion, satellites
  'transport', // road, rail, maritime, logistics, mobility
  'construction', // buildings, infrastructure, civil engineering, public safety of structures
] as const;
export type Sector = (typeof SECTORS)[number];

export function isSector(value: unknown): value is Sector {
  return typeof value === 'string' && (SECTORS as readonly string[]).includes(value);
}
