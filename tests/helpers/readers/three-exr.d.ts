/** The little of three.js the EXR reader uses (three ships no types; @types/three is far larger than needed). */
declare module 'three' {
  export const FloatType: number;
  export const RedFormat: number;
}

declare module 'three/examples/jsm/loaders/EXRLoader.js' {
  export interface EXRParseResult {
    header: Record<string, unknown>;
    width: number;
    height: number;
    data: Float32Array | Uint16Array;
    format: number;
    type: number;
  }
  export class EXRLoader {
    setDataType(type: number): this;
    setOutputFormat(format: number): this;
    parse(buffer: ArrayBuffer): EXRParseResult;
  }
}
