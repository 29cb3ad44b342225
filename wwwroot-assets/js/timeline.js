// MediaFiles timeline module: bring a day's first card into view (the date jump of the filter bar).
export function scrollToDay(id) {
    const el = document.getElementById(id);
    if (!el) return false;
    el.scrollIntoView({ behavior: 'smooth', block: 'start' });
    return true;
}
