/* The closed days of ITU headquarters that are set each year, embedded so a
 * database migration and `ballot init` need no files (src/calendar.c). */
	.section .rodata
	.global bt_calendar_days_tsv
	.global bt_calendar_days_tsv_end
bt_calendar_days_tsv:
	.incbin "forms/calendar/itu-closed-days.tsv"
bt_calendar_days_tsv_end:
	.byte 0
	.section .note.GNU-stack,"",@progbits
