import { z } from 'zod';
import { labelsSchema, nameSchema, objectFields, tagsSchema } from './common.js';

export const flowCreateSchema = z.strictObject({
  name: nameSchema,
  tags: tagsSchema.default([]),
  labels: labelsSchema.default({}),
});
export type FlowCreate = z.output<typeof flowCreateSchema>;

export const flowUpdateSchema = z.strictObject({ tags: tagsSchema.optional(), labels: labelsSchema.optional() });
export type FlowUpdate = z.output<typeof flowUpdateSchema>;

export const flowSchema = z.object({
  ...objectFields,
  name: z.string(),
  tags: z.array(z.string()),
  labels: z.record(z.string(), z.unknown()),
});
export type Flow = z.output<typeof flowSchema>;
