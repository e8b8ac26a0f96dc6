/**
 * The model manifest: everything the engine knows about a depth model. The engine reads nothing
 * about a model from anywhere else (see ARCHITECTURE.md, "Model manifest").
 */
import { z } from 'zod';

const positiveInt = z.number().int().positive();

/** Fixed input: the photo (padded) is resized to exactly this size, as published ONNX exports expect. */
const fixedSize = z.strictObject({
  kind: z.literal('fixed'),
  height: positiveInt,
  width: positiveInt
});

/**
 * Dynamic input: resized keeping aspect ratio to multiples of `multipleOf` near the target size.
 * `minimal` is ZoeDepth's own policy: scale by whichever of target/h, target/w is closer to 1.
 */
const dynamicSize = z.strictObject({
  kind: z.literal('dynamic'),
  targetHeight: positiveInt,
  targetWidth: positiveInt,
  multipleOf: positiveInt.default(32),
  policy: z.enum(['minimal', 'upper_bound', 'lower_bound']).default('minimal')
});

/** Normalisation inside the graph (ZoeDepth exports: mean 0.5, std 0.5), or applied by the engine. */
const normalisation = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('in-graph') }),
  z.strictObject({
    kind: z.literal('external'),
    mean: z.tuple([z.number(), z.number(), z.number()]),
    std: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()])
  })
]);

/** One published error figure: REL, and the paper and table it is read from. */
const relativeErrorFigure = z.strictObject({ value: z.number().positive(), source: z.string().min(1) });

export const modelManifestSchema = z.strictObject({
  /** Stable id, used in file names and on the command line: `zoed-n`. */
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'lower-case letters, digits, . _ - (at most 64)'),
  title: z.string().min(1),
  description: z.string().optional(),
  /** The original model this file was exported from, e.g. `ZoeD_M12_N`. */
  architecture: z.string().optional(),
  licence: z.strictObject({ name: z.string().min(1), url: z.url().optional() }),
  /** Where to get the ONNX file; absent for models imported by the user. */
  source: z
    .strictObject({
      fileName: z.string().regex(/^[^/\\]+\.onnx$/, 'a plain .onnx file name'),
      urls: z.array(z.url()).min(1),
      sizeBytes: positiveInt.optional(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
      /** Extra files the graph loads beside it (external weights), with their own size and hash. */
      externalData: z
        .array(z.strictObject({ fileName: z.string(), url: z.url(), sizeBytes: positiveInt.optional(), sha256: z.string().regex(/^[0-9a-f]{64}$/).optional() }))
        .optional()
    })
    .optional(),
  input: z.strictObject({
    /** Input tensor name; the graph's first input when absent. */
    name: z.string().optional(),
    layout: z.literal('NCHW'),
    /** Pixel values: 8-bit sRGB divided by 255 (`ToTensor`). */
    valueRange: z.literal('0-1'),
    size: z.discriminatedUnion('kind', [fixedSize, dynamicSize]),
    /** Input resize: bilinear with PyTorch's align_corners=True, as MiDaS/ZoeDepth do. */
    resize: z.literal('bilinear-align-corners').default('bilinear-align-corners'),
    normalisation
  }),
  output: z.strictObject({
    /** Output tensor name; takes precedence over `index`. */
    name: z.string().optional(),
    /** Which output holds metric depth (ZoeD_M12_NK exports: the second, index 1). */
    index: z.number().int().nonnegative().default(0),
    unit: z.literal('metres'),
    kind: z.enum(['metric', 'relative']),
    /** Output upsampling to the padded photo size: bicubic, align_corners=False, a = −0.75. */
    upsampling: z.literal('bicubic').default('bicubic')
  }),
  /** The heads' clamp range in metres; results are clamped to it after upsampling. */
  depthRange: z.strictObject({ min: z.number().positive(), max: z.number().positive() }),
  domain: z.enum(['indoor', 'outdoor', 'auto']),
  defaults: z.strictObject({ flip: z.boolean().default(true), pad: z.boolean().default(true) }),
  /**
   * How running this file departs from the original `infer_pil` (isl-org/ZoeDepth), one sentence
   * each, in the photographer's words; absent or empty when it does exactly what the original does.
   */
  differencesFromOriginal: z.array(z.string().min(1)).optional(),
  /**
   * A quicker, lower-precision copy of another model (same network and processing, weights in
   * fp16 or int8): offered as a "quick" model, compared with its full-precision original on a photo.
   */
  variant: z.strictObject({ of: z.string().min(1), precision: z.enum(['fp16', 'int8']) }).optional(),
  /**
   * How far the metric depth is typically off (absolute relative error, REL), for measurement
   * uncertainty bands, with where each figure comes from. A photographer's photo is zero-shot for
   * the model (not from its training datasets), so `value` is the uncalibrated figure: the model's
   * REL on datasets it never saw (`zeroShot`). `inDomain` is its REL on its own benchmark, where its
   * overall scale is right on average: the per-point error that remains once a reference length has
   * fixed the scale (see src/shared/measure/uncertainty.ts).
   */
  relativeError: z
    .strictObject({
      value: z.number().positive().max(1),
      source: z.string().min(1),
      inDomain: relativeErrorFigure.optional(),
      zeroShot: z.array(relativeErrorFigure.extend({ dataset: z.string().min(1) })).optional()
    })
    .optional()
});

/** A manifest as written in JSON (defaults may be left out). */
export type ModelManifestInput = z.input<typeof modelManifestSchema>;
/** A manifest after validation, with defaults filled in. */
export type ModelManifest = z.output<typeof modelManifestSchema>;

export const modelCatalogSchema = z.strictObject({
  $schemaVersion: z.literal(1),
  models: z.array(modelManifestSchema).min(1)
});
export type ModelCatalog = z.output<typeof modelCatalogSchema>;
