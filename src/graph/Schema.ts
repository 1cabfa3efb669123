/**
 * The JSON Schema subset the admin API uses. The same objects validate request bodies (validate.ts) and
 * become the OpenAPI document (openApiDocument.ts), so the two cannot drift apart.
 */
export type Schema =
  | { type: 'string'; description?: string; minLength?: number; maxLength?: number; format?: 'date-time' | 'uuid' | 'email'; enum?: readonly string[]; pattern?: string; nullable?: boolean; example?: string }
  | { type: 'integer'; description?: string; minimum?: number; maximum?: number; example?: number }
  | { type: 'boolean'; description?: string; nullable?: boolean }
  | { type: 'array'; description?: string; items: Schema; maxItems?: number }
  | {
      type: 'object';
      description?: string;
      properties: Record<string, Schema>;
      required?: readonly string[];
      /** Request bodies refuse fields they do not know; responses may carry more. */
      additionalProperties?: boolean;
      nullable?: boolean;
    }
  | { $ref: string };
