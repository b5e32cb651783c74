/** Firehose's `IndexRotationPeriod`. */
export type IndexRotationPeriod = 'NoRotation' | 'OneHour' | 'OneDay' | 'OneWeek' | 'OneMonth';

const pad = (value: number): string => String(value).padStart(2, '0');

/**
 * The index a record goes to: the index name plus Firehose's suffix for the rotation period,
 * from the record's arrival time in UTC — `-YYYY-MM-DD-HH` (OneHour), `-YYYY-MM-DD` (OneDay),
 * `-YYYY-wWW` (OneWeek: the ISO week and its year), `-YYYY-MM` (OneMonth), nothing (NoRotation).
 */
export function rotatedIndexName(indexName: string, period: IndexRotationPeriod, arrival: Date): string {
  const year = arrival.getUTCFullYear();
  const month = pad(arrival.getUTCMonth() + 1);
  const day = pad(arrival.getUTCDate());
  switch (period) {
    case 'NoRotation':
      return indexName;
    case 'OneHour':
      return `${indexName}-${year}-${month}-${day}-${pad(arrival.getUTCHours())}`;
    case 'OneDay':
      return `${indexName}-${year}-${month}-${day}`;
    case 'OneWeek': {
      const { weekYear, week } = isoWeek(arrival);
      return `${indexName}-${weekYear}-w${pad(week)}`;
    }
    case 'OneMonth':
      return `${indexName}-${year}-${month}`;
  }
}

/** ISO 8601 week: weeks start on Monday; week 1 holds the year's first Thursday. */
function isoWeek(date: Date): { weekYear: number; week: number } {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() === 0 ? 7 : day.getUTCDay();
  day.setUTCDate(day.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const weekYear = day.getUTCFullYear();
  const week = Math.ceil(((day.getTime() - Date.UTC(weekYear, 0, 1)) / 86_400_000 + 1) / 7);
  return { weekYear, week };
}
