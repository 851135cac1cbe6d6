// Mantine's sheets for the device check (the app loads per-component sheets, see
// app/mantine-styles.ts): the choosers (NativeSelect is built on Input), the level meter
// and the progress (Progress), and the divider above the check (Divider).
import '@mantine/core/styles/Input.css';
import '@mantine/core/styles/Progress.css';
import '@mantine/core/styles/Divider.css';
