/** Types for the parts of Khronos's gltf-validator (npm, compiled from Dart, ships no types) the tests use. */
declare module 'gltf-validator' {
  export interface ValidationIssue {
    code: string;
    message: string;
    severity: number;
    pointer?: string;
  }
  export interface ValidationReport {
    issues: { numErrors: number; numWarnings: number; numInfos: number; numHints: number; messages: ValidationIssue[] };
    info?: Record<string, unknown>;
  }
  export function validateBytes(data: Uint8Array, options?: { maxIssues?: number; writeTimestamp?: boolean; format?: 'glb' | 'gltf' }): Promise<ValidationReport>;
  export function version(): string;
}
