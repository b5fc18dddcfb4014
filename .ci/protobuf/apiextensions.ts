import type { FieldEntry } from '../gen-protobuf-descriptor';
export const APIEXTENSIONS_KINDS: Record<string, string> = {};
export const APIEXTENSIONS_MESSAGES: Record<string, FieldEntry[]> = {};
