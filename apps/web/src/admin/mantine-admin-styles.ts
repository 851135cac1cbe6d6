// The sheets of the admin dashboard's chunk (loaded with `/admin/health` only, never with
// the client's invitation page): the staff screens' Mantine sheets it shares, plus the
// charts' own (recharts is drawn inside Mantine's chart wrappers).
import '../staff/mantine-staff-styles.ts';
import '@mantine/charts/styles.css';
