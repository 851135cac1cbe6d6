// Mantine's CSS per component instead of the whole `@mantine/core/styles.css`: the full
// sheet is ~37 KB gzipped and render-blocking, these are ~6 KB — seconds on a rural 3G
// link before the invitation page can paint. A component added to the UI needs its
// sheet here (and the sheets of the components it is built from).
import '@mantine/core/styles/baseline.css';
import '@mantine/core/styles/default-css-variables.css';
import '@mantine/core/styles/global.css';
import '@mantine/core/styles/UnstyledButton.css';
import '@mantine/core/styles/Button.css';
import '@mantine/core/styles/Loader.css';
import '@mantine/core/styles/Paper.css';
import '@mantine/core/styles/Container.css';
import '@mantine/core/styles/Group.css';
import '@mantine/core/styles/Stack.css';
import '@mantine/core/styles/Text.css';
import '@mantine/core/styles/Title.css';
import '@mantine/core/styles/Alert.css';
import '@mantine/core/styles/FloatingIndicator.css';
import '@mantine/core/styles/SegmentedControl.css';
import '@mantine/core/styles/VisuallyHidden.css';
// The staff screens' sheets load with their lazy chunk: ../staff/mantine-staff-styles.ts.
