/**
 * The preset buttons: one per expression the CLI offers (src/transfer/expressionCatalogue.ts: the data presets the
 * model ships in presets.json, then the presets composed of action units: surprise, sad, angry, fear, disgust,
 * contempt, blink, winks, brows, squint, aaa/eee/ooo), in the order `mimic presets --list` shows them.
 *
 * Every preset is applied exactly as the CLI applies `--expression NAME@T --au …` (applyExpression: the input's
 * own landmarks plus the preset's displacement at intensity T, plus the extra action units). A model without
 * presets.json still gets working neutral and smile buttons: smile is then the CLI's hand edits
 * (src/transfer/edits.ts) that lift and widen the mouth corners and raise the lower eyelids, and neutral keeps the
 * photo's own landmarks; the action-unit presets need no presets.json.
 */
import { applyEdits } from '../../src/transfer/edits.js';
import {
  addActionUnits,
  applyExpression,
  describeExpressions,
  expressionNames,
} from '../../src/transfer/expressionCatalogue.js';
import type { PresetsFile } from '../../src/transfer/presets.js';

export interface Expression {
  name: string;
  /** Where the landmarks come from. */
  source: 'model presets' | 'action units' | 'built-in edits' | 'the photo';
  /** What the button's tooltip says: the AU mix, or where the data preset comes from. */
  description: string;
  /**
   * Target landmarks (136 normalized coordinates) at intensity 0..1.5, with extra action units (keys as `--au`
   * writes them) added as the CLI adds them.
   */
  apply(input: Float32Array, intensity: number, units?: ReadonlyMap<string, number>): Float32Array;
}

/** Labels that mean "smile" in the data sets we read (FRL: smiling, CK+/Multi-PIE: happy / smile). */
const SMILE_LABELS = ['smile', 'smiling', 'happy', 'happiness', 'joy'];

/** Crop pixels (64-px crop) of the built-in smile at full intensity; chosen by eye on the sample photos. */
const BUILT_IN_SMILE = { mouthCorners: 3, mouthWidth: 2, lowerEyelids: 1 } as const;

const NO_UNITS: ReadonlyMap<string, number> = new Map();

export function expressionsFor(presets: PresetsFile | undefined, cropSize: number): Expression[] {
  const described = new Map(describeExpressions(presets).map((info) => [info.name, info]));
  const fromCatalogue = (name: string, label = name): Expression => ({
    name: label,
    source: described.get(name)?.kind === 'data' ? 'model presets' : 'action units',
    description: described.get(name)?.description ?? name,
    apply: (input, t, units = NO_UNITS) => applyExpression(presets, input, name, t, units),
  });
  const neutral: Expression =
    presets !== undefined
      ? fromCatalogue(presets.neutral, 'neutral')
      : {
          name: 'neutral',
          source: 'the photo',
          description: "the photo's own landmarks (the model ships no presets.json)",
          apply: (input, _t, units = NO_UNITS) => addActionUnits(input, input, units),
        };
  const names = expressionNames(presets);
  const smileLabel = names.find((name) => SMILE_LABELS.includes(name.toLowerCase()));
  const smile: Expression =
    smileLabel !== undefined
      ? fromCatalogue(smileLabel, 'smile')
      : {
          name: 'smile',
          source: 'built-in edits',
          description:
            'mouth corners lifted and widened, lower lids raised (the model ships no presets.json)',
          apply: (input, t, units = NO_UNITS) =>
            addActionUnits(
              applyEdits(
                input,
                {
                  mouthCorners: BUILT_IN_SMILE.mouthCorners * t,
                  mouthWidth: BUILT_IN_SMILE.mouthWidth * t,
                  lowerEyelids: BUILT_IN_SMILE.lowerEyelids * t,
                },
                cropSize,
              ),
              input,
              units,
            ),
        };
  const others = names
    .filter((name) => name !== presets?.neutral && name !== smileLabel)
    .map((name) => fromCatalogue(name));
  return [neutral, smile, ...others];
}
