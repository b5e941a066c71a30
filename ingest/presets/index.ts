import { genericPreset } from './generic.js';
import { nasaT2Preset } from './nasa-t2.js';
import type { Preset } from './preset.js';

export const PRESETS: Record<string, Preset> = { generic: genericPreset, 'nasa-t2': nasaT2Preset };
export type { Preset } from './preset.js';
