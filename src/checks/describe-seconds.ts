// Durations in the words staff read in a reason: 300 → "5 minutes".

/** `300` → "5 minutes", `86400` → "24 hours", `90` → "90 seconds". */
export function describeSeconds(seconds: number): string {
  const unit = (count: number, name: string) => `${count} ${name}${count === 1 ? '' : 's'}`;
  const whole = Math.round(seconds);
  if (whole > 0 && whole % 3600 === 0) return unit(whole / 3600, 'hour');
  if (whole > 0 && whole % 60 === 0) return unit(whole / 60, 'minute');
  return unit(whole, 'second');
}
