/* mailview - print the VulndMail of one message as JSON (a check program
 * used by the signature tests; handy for looking at a message by hand).
 *
 *   mailview [--keyring PATH] FILE
 *
 * Exit 0 and a JSON object; 1 with a one-line error when FILE cannot be
 * read or is not mail; 2 on usage errors. */
#include "config.h"

#include <stdio.h>

#include "vulnd-ingest.h"

static void
set_if (JsonBuilder *b, const char *name, const char *value)
{
	if (!value)
		return;
	json_builder_set_member_name (b, name);
	json_builder_add_string_value (b, value);
}

static JsonNode *
mail_to_json (const VulndMail *mail)
{
	g_autoptr (JsonBuilder) b = json_builder_new ();

	json_builder_begin_object (b);
	json_builder_set_member_name (b, "headers");
	json_builder_begin_object (b);
	set_if (b, "message-id", mail->message_id);
	set_if (b, "subject", mail->subject);
	set_if (b, "from", mail->from);
	set_if (b, "date", mail->date);
	set_if (b, "received", mail->received);
	set_if (b, "list", mail->list_id);
	set_if (b, "in-reply-to", mail->in_reply_to);
	set_if (b, "references", mail->references);
	set_if (b, "sha256", mail->sha256);
	json_builder_end_object (b);
	set_if (b, "text", mail->text);
	json_builder_set_member_name (b, "forwarded");
	json_builder_add_boolean_value (b, mail->forwarded);
	json_builder_set_member_name (b, "signature");
	json_builder_begin_object (b);
	set_if (b, "status", vulnd_sig_status_to_string (mail->sig_status));
	set_if (b, "form", mail->sig_form);
	set_if (b, "fingerprint", mail->sig_fingerprint);
	set_if (b, "signer", mail->sig_signer);
	json_builder_end_object (b);
	json_builder_set_member_name (b, "warnings");
	json_builder_begin_array (b);
	for (guint i = 0; i < mail->warnings->len; i++)
		json_builder_add_string_value (b, g_ptr_array_index (mail->warnings, i));
	json_builder_end_array (b);
	json_builder_end_object (b);
	return json_builder_get_root (b);
}

int
main (int argc, char **argv)
{
	g_autofree char *keyring_path = NULL;
	GOptionEntry entries[] = {
		{ "keyring", 'k', 0, G_OPTION_ARG_FILENAME, &keyring_path,
		  "trusted keys: a directory of *.asc files or one key file", "PATH" },
		{ NULL }
	};
	g_autoptr (GOptionContext) context = g_option_context_new ("FILE");
	g_autoptr (GError) error = NULL;
	g_autoptr (VulndKeyring) keyring = NULL;
	g_autoptr (VulndMail) mail = NULL;
	g_autoptr (JsonNode) root = NULL;
	g_autofree char *data = NULL;
	g_autofree char *json = NULL;
	gsize len = 0;

	g_option_context_add_main_entries (context, entries, NULL);
	if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2) {
		g_printerr ("mailview: %s\n", error ? error->message : "one FILE expected");
		return 2;
	}
	keyring = vulnd_keyring_open (keyring_path, &error);
	if (!keyring || !g_file_get_contents (argv[1], &data, &len, &error) ||
	    !(mail = vulnd_mail_parse (data, len, keyring, &error))) {
		g_printerr ("mailview: %s\n", error->message);
		return 1;
	}
	root = mail_to_json (mail);
	json = json_to_string (root, TRUE);
	puts (json);
	return 0;
}
