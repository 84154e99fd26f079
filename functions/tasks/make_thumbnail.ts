import { NonRetriableError } from '../../core/errors.ts';
import { defineTask } from '../task-runner/define-task.ts';

/** One image of a fan-out stage: `item` is its key. A key that is not an image fails this item only. */
export const handler = defineTask(async ({ item, index }) => {
  const key = String(item);
  if (!/\.(jpe?g|png|webp)$/i.test(key)) throw new NonRetriableError(`"${key}" is not an image`);
  return { key, thumbnail: key.replace(/(\.[^.]+)$/, '.thumb$1'), index };
});
