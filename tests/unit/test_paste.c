/* test_paste.c: a pasted message keeps its words and loses its log noise. */
#include <stdlib.h>

#include "kb_paste.h"
#include "kb_test.h"

/* The message as kb_paste_message leaves it, runs of spaces made one and
 * the ends trimmed, so that checks read as the text does; the text itself
 * when nothing was blanked. */
static char *S_message(const char *text) {
    char *z = kb_paste_message(text);
    const char *from = z ? z : text;
    char *out = malloc(strlen(from) + 1), *o = out;
    for (const char *p = from; *p; p++)
        if (*p != ' ' || (o > out && o[-1] != ' ')) *o++ = *p;
    while (o > out && o[-1] == ' ') o--;
    *o = 0;
    free(z);
    return out;
}

#define CHECK_MESSAGE(text, want) do { char *m_ = S_message(text); CHECK_STR(m_, want); free(m_); } while (0)

static void test_values_no_document_holds_are_blanked(void) {
    CHECK_MESSAGE("[2024-03-17T22:10:10.590Z] Se ha producido un error. x-ms-request-id: "
                  "ae97d9db-9b95-1773-ef70-aa599e293641",
                  "Se ha producido un error.");
    CHECK_MESSAGE("RequestId: 71a1f3d7-24f7-f5a9-ccd8-e724f8a43b14 Timestamp: 2024-03-20T01:31:49.701Z", "");
    CHECK_MESSAGE("at 01:19:01.589 on 3/17/2024 trace 0123456789abcdef0123", "at on 3/17/2024 trace");
    CHECK_MESSAGE("2024-03-17 22:10:10,123 ERROR Dec 6 8:00:00 vm1 waagent[1234]: Timeout",
                  "ERROR Dec 6 vm1 waagent Timeout");
    CHECK_MESSAGE("RequestId:71a1f3d7-24f7-f5a9-ccd8-e724f8a43b14 Time:2024-12-06T10:00:00Z ErrorCode:Conflict",
                  "ErrorCode:Conflict");
    CHECK_MESSAGE("HTTP/1.1 500 Internal Server Error", "500 Internal Server Error");
    CHECK_MESSAGE("ERROR /subscriptions/b3123cbf/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm",
                  "ERROR");
    CHECK_MESSAGE("Correlation ID: 482c3495-ecde-60ea-f91a-6c58bc731dd6 Request Id 1", "1");
}

static void test_stack_frames_and_error_records_are_blanked(void) {
    /* line breaks or none: a chat box flattens a paste */
    CHECK_MESSAGE("Timeout.\n   at Microsoft.Azure.Management.Client.ExecuteAsync() in C:\\a\\Client.cs:line 214",
                  "Timeout.\n");
    CHECK_MESSAGE("Boom at com.example.Main.run(Main.java:12)", "Boom");
    CHECK_MESSAGE("PS C:\\> Invoke-Job -Name job71 No se han encontrado suscripciones At line:1 char:1 "
                  "+ CategoryInfo : NotSpecified: (:) [], Exception",
                  "Invoke-Job -Name job71 No se han encontrado suscripciones + : (:) [],");
    /* the exception an error record names is a code of its own */
    CHECK_MESSAGE("+ CategoryInfo : ObjectNotFound: (Get-AzureRmVM:String) [], CommandNotFoundException",
                  "+ : ObjectNotFound: (Get-AzureRmVM:String) [], CommandNotFoundException");
    /* "at" and "in" around no frame are words */
    CHECK(kb_paste_message("stuck at boot in the portal") == NULL);
}

static void test_python_frames_http_headers_and_json_bodies(void) {
    CHECK_MESSAGE("Traceback (most recent call last):\n  File \"/opt/az/core.py\", line 517, in run\n"
                  "    return self._run()\nCLIError: The subscription was not found",
                  "Traceback (most recent call last):\n \n return self._run()\nCLIError: The subscription was not found");
    CHECK_MESSAGE("Cannot find ServerFarm with name exampleplan.\nCache-Control: no-cache\n"
                  "x-ms-ratelimit-remaining-subscription-reads: 11999\nDate: Fri, 06 Dec 2024 10:00:00 GMT",
                  "Cannot find ServerFarm with name exampleplan.\n \n \n");
    CHECK_MESSAGE("{\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"The Resource was not found.\"}}",
                  "ResourceNotFound , The Resource was not found.");
    /* an Event Viewer record: its source and event ID are kept, its labels go */
    CHECK_MESSAGE("Log Name:      Application\nSource:        CBEngine\nDate:          12/6/2024 8:00:00 AM\n"
                  "Event ID:      11\nLevel:         Error\nComputer:      VM1.contoso.local\nDescription:\n"
                  "Restore operation failed.",
                  "\n CBEngine\n \n 11\n \n \n \nRestore operation failed.");
}

static void test_a_prompt_line_above_the_message_is_blanked(void) {
    CHECK_MESSAGE("PS C:\\Users\\ana> Invoke-Job -Name job83\nNo se han encontrado suscripciones",
                  "\nNo se han encontrado suscripciones");
    /* a prompt and its command alone are the question */
    CHECK_MESSAGE("PS C:\\> Get-AzureRmVM -Name vm1 -ResourceGroupName rg", "Get-AzureRmVM -Name vm1 -ResourceGroupName rg");
}

static void test_the_message_and_its_codes_are_kept(void) {
    static const char *const aKept[] = {
        "System.TimeoutException: Timeout performing EVAL, StackExchange.Redis",
        "Error 0x80070570 (ERROR_FILE_CORRUPT) en C:\\Windows\\Temp",
        "TLS 1.2.0 en /var/log/waagent.log, puerto 443, 10:30",
        "Add-AzureAccount: AADSTS50079 Unknown_user_type",
        "\"Database mydb on server myserver is not currently available\"",
        "Session state: PS remoting",
        "System.IO.IOException(0x80070718): error opening a file",
        "versión 2014-06-01 de la API, llame al 800-642-7676",
        "CloudStorageAccount.Parse(connectionString) falla",
    };
    for (size_t i = 0; i < sizeof aKept / sizeof *aKept; i++) {
        char *z = kb_paste_message(aKept[i]);
        CHECK(z == NULL);
        if (z) fprintf(stderr, "  blanked: \"%s\"\n", z);
        free(z);
    }
}

static void test_offsets_are_kept(void) {
    const char *text = "2024-03-17T10:00:00Z Error 0x80070570";
    char *z = kb_paste_message(text);
    CHECK(z && strlen(z) == strlen(text));
    CHECK(z && strcmp(z + 21, "Error 0x80070570") == 0);
    free(z);
}

KB_TEST_MAIN(test_values_no_document_holds_are_blanked, test_stack_frames_and_error_records_are_blanked,
             test_python_frames_http_headers_and_json_bodies, test_a_prompt_line_above_the_message_is_blanked,
             test_the_message_and_its_codes_are_kept,
             test_offsets_are_kept)
