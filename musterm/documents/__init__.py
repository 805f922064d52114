"""Documents before and after the meeting: invitation, preparation form, exports, calendar, rendering."""
