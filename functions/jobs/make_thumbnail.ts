import { NonRetriableError } from '../../core/errors.ts';

/** A job of the thumbnails pool: `{ image, width? }` sent through the API, or a workflow task's event. */
interface ThumbnailJob {
  readonly image?: string;
  readonly width?: number;
  /** Present when a workflow task runs in the pool: the task event. */
  readonly input?: { readonly image?: string; readonly width?: number };
}

/** Pretends to resize an image: the thumbnail's name says what would have been made. */
export async function handler(job: ThumbnailJob): Promise<{ thumbnail: string; width: number }> {
  const image = job.image ?? job.input?.image ?? 'demo.jpg';
  const width = job.width ?? job.input?.width ?? 128;
  if (!Number.isInteger(width) || width <= 0) throw new NonRetriableError(`width must be a positive whole number, got ${JSON.stringify(width)}`);
  return { thumbnail: `${image.replace(/\.[a-z]+$/i, '')}@${width}w.jpg`, width };
}
