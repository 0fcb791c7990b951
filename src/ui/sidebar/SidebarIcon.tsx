/** Icons only the sidebar uses (drawn like components/Icon: 24-unit strokes). */
const PATHS = {
  more: 'M5 12h.01M12 12h.01M19 12h.01',
  pin: 'M9 4h6l-1 6 4 4H6l4-4zM12 14v6',
  archive: 'M3 5h18v4H3zM5 9v10h14V9M10 13h4',
  folder: 'M3 6h6l2 2h10v11H3z',
  tag: 'M3 12V3h9l9 9-9 9zM7.5 7.5h.01',
  download: 'M12 4v11M7 10l5 5 5-5M5 20h14',
  select: 'M4 4h16v16H4zM8 12l3 3 5-6',
} as const;

export function SidebarIcon(props: { name: keyof typeof PATHS; size?: number }) {
  return (
    <svg class="icon" width={props.size ?? 16} height={props.size ?? 16} viewBox="0 0 24 24" fill="none" stroke="currentColor"
      stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
      <path d={PATHS[props.name]} />
    </svg>
  );
}
