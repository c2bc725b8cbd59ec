/**
 * The default pipeline's id, for the renderer. The domain module that defines it imports Node code (its errors),
 * so it cannot be bundled; the type below makes the compiler check that both still say the same.
 * @module
 */
import type { DEFAULT_PIPELINE_ID as CORE_DEFAULT_PIPELINE_ID } from '../../../../core/crm/domain/pipeline.js';

/** The id of the pipeline created on first run. */
export const DEFAULT_PIPELINE_ID: typeof CORE_DEFAULT_PIPELINE_ID = 'default';
