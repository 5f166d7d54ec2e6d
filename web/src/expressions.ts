/**
 * The preset buttons: neutral, smile and every preset the model ships (presets.json, src/transfer/presets.ts).
 *
 * Shipped presets are applied exactly as the CLI applies them (applyPreset: the input's own landmarks plus
 * intensity × the label's mean displacement from neutral). A model without presets.json still gets working
 * neutral and smile buttons: smile is then the CLI's hand edits (src/transfer/edits.ts) that lift and widen the
 * mouth corners and raise the lower eyelids, and neutral keeps the photo's own landmarks.
 */
import { applyEdits } from '../../src/transfer/edits.js';
import { applyPreset, presetNames, type PresetsFile } from '../../src/transfer/presets.js';

export interface Expression {
  name: string;
  /** Where the landmarks come from, for the button's tooltip. */
  source: 'model presets' | 'built-in edits' | 'the photo';
  /** Target landmarks (136 normalized coordinates) at intensity 0..1. */
  apply(input: Float32Array, intensity: number): Float32Array;
}

/** Labels that mean "smile" in the data sets we read (FRL: smiling, CK+/Multi-PIE: happy / smile). */
const SMILE_LABELS = ['smile', 'smiling', 'happy', 'happiness', 'joy'];

/** Crop pixels (64-px crop) of the built-in smile at full intensity; chosen by eye on the sample photos. */
const BUILT_IN_SMILE = { mouthCorners: 3, mouthWidth: 2, lowerEyelids: 1 } as const;

export function expressionsFor(presets: PresetsFile | undefined, cropSize: number): Expression[] {
  const shipped = presets === undefined ? [] : presetNames(presets);
  const fromPresets = (name: string, label = name): Expression => ({
    name: label,
    source: 'model presets',
    apply: (input, t) => applyPreset(presets!, input, name, t),
  });
  const neutral: Expression =
    presets !== undefined
      ? fromPresets(presets.neutral, 'neutral')
      : { name: 'neutral', source: 'the photo', apply: (input) => Float32Array.from(input) };
  const smileLabel = shipped.find((name) => SMILE_LABELS.includes(name.toLowerCase()));
  const smile: Expression =
    smileLabel !== undefined
      ? fromPresets(smileLabel, 'smile')
      : {
          name: 'smile',
          source: 'built-in edits',
          apply: (input, t) =>
            applyEdits(
              input,
              {
                mouthCorners: BUILT_IN_SMILE.mouthCorners * t,
                mouthWidth: BUILT_IN_SMILE.mouthWidth * t,
                lowerEyelids: BUILT_IN_SMILE.lowerEyelids * t,
              },
              cropSize,
            ),
        };
  const others = shipped
    .filter((name) => name !== presets?.neutral && name !== smileLabel)
    .map((name) => fromPresets(name));
  return [neutral, smile, ...others];
}
