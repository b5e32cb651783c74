/** Decides which transformed items reach the buffer; dropped items count as done (checkpointed past). */
export interface Filter<T> {
  keep(item: T): boolean;
}
