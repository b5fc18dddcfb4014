/**
 * Column-definition builders and the columns many kinds share (NAME, AGE, CONTAINERS, IMAGES), worded as upstream's
 * printers.go words them. Column definitions are built once at module load and shared by every table.
 */
import { DOC } from './descriptions';
import type { TableColumnDefinition } from './types';

export function col(name: string, type: string, description: string, priority = 0, format = ''): TableColumnDefinition {
  return Object.freeze({ name, type, format, description, priority });
}

/** `{Name: "Name", Type: "string", Format: "name", Description: metav1.ObjectMeta{}.SwaggerDoc()["name"]}` */
export const NAME = col('Name', 'string', DOC['meta.name'], 0, 'name');
export const AGE = col('Age', 'string', DOC['meta.creationTimestamp']);
export const CONTAINERS_WIDE = col('Containers', 'string', 'Names of each container in the template.', 1);
export const IMAGES_WIDE = col('Images', 'string', 'Images referenced by each container in the template.', 1);

export function columns(...defs: TableColumnDefinition[]): readonly TableColumnDefinition[] {
  return Object.freeze(defs);
}
