/** Dates as people type and read them, and the instants the API wants. */

/** The start of a local calendar day typed in an <input type="date">, as an ISO instant. */
export function startOfLocalDay(date: string): string {
  return new Date(`${date}T00:00:00`).toISOString();
}

/** The start of the local day after `date`: the exclusive end of a period that includes `date`. */
export function endOfLocalDay(date: string): string {
  const day = new Date(`${date}T00:00:00`);
  day.setDate(day.getDate() + 1);
  return day.toISOString();
}

export function localDateInput(instant: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${instant.getFullYear()}-${pad(instant.getMonth() + 1)}-${pad(instant.getDate())}`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function formatDateTime(instant: string | null | undefined): string {
  return instant === null || instant === undefined ? '—' : dateTime.format(new Date(instant));
}

export function formatDate(instant: string | null | undefined): string {
  return instant === null || instant === undefined ? '—' : dateOnly.format(new Date(instant));
}
