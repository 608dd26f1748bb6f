/* The default Member State list, embedded so `ballot init` needs no files. */
	.section .rodata
	.global bt_member_states_tsv
	.global bt_member_states_tsv_end
bt_member_states_tsv:
	.incbin "forms/member-states.tsv"
bt_member_states_tsv_end:
	.byte 0
	.section .note.GNU-stack,"",@progbits
