/* test_remedy.c: remediation records of sections. */
#include "kb_remedy.h"
#include "kb_test.h"
#include "kb_test_doc.h"
#include "kb_util.h"

#define MARS_ES "corpus/es-es/backup-azure-mars-troubleshoot.md"

static void test_remedy_records_of_vault_credentials_section(void) {
    char *md = kb_test_section(MARS_ES, "invalid-vault-credentials-provided");
    kb_remedy *a = NULL;
    int n = 0;
    kb_remedy_extract(md, strlen(md), &a, &n);
    CHECK_INT(n, 3);
    if (n == 3) {
        /* the table of causes and fixes belongs to the error message above it */
        CHECK(strncmp(a[0].error, "Se han proporcionado credenciales de almacén no válidas.", 57) == 0);
        CHECK_STR(a[2].error, a[0].error);
        CHECK(a[0].nCause >= 2);
        if (a[0].nCause >= 2) {
            CHECK_STR(a[0].aCause[0], "Las credenciales de almacén no son válidas");
            CHECK(strncmp(a[0].aCause[1], "Es posible que los archivos", 27) == 0);
        }
        CHECK(a[0].nAction >= 3);
        if (a[0].nAction >= 3) CHECK(strncmp(a[0].aAction[1], "Si ya ha instalado y registrado MARS", 36) == 0);
        CHECK_INT(a[2].nCause, 1);
        CHECK(a[2].nAction == 5);
        if (a[2].nAction == 5) CHECK_STR(a[2].aAction[1], "CBengine.exe");
    }
    kb_remedy_free(a, n);
    free(md);
}

static void test_remedy_records_of_warning_codes_table(void) {
    char *md = kb_test_section(MARS_ES, "backup-jobs-completed-with-warning");
    kb_remedy *a = NULL;
    int n = 0;
    kb_remedy_extract(md, strlen(md), &a, &n);
    CHECK_INT(n, 4);
    if (n == 4) {
        CHECK_STR(a[0].error, "0x80070570");
        CHECK_INT(a[0].nCause, 1);
        CHECK_STR(a[0].aCause[0], "El archivo o directorio está dañado o es ilegible.");
        CHECK_STR(a[1].error, "0x80070002, 0x80070003");
        CHECK_INT(a[1].nAction, 3);
        if (a[1].nAction == 3) CHECK_STR(a[1].aAction[0], "Asegúrese de que la carpeta temporal no está llena.");
    }
    kb_remedy_free(a, n);
    free(md);
}

/* The records of Markdown md, *pn of them (kb_remedy_free them). */
static kb_remedy *S_remedies(const char *md, int *pn) {
    kb_remedy *a = NULL;
    *pn = 0;
    kb_remedy_extract(md, strlen(md), &a, pn);
    return a;
}

/* A cell that opens with its column's label on a line of its own says
 * the label once, as the record's: "Error: エラー ..." had repeated it. A
 * message that starts with the word keeps it ("エラー 34506。..."). */
static void test_remedy_cell_drops_its_own_label(void) {
    const char *md = "## 失敗\n\n| エラーの詳細 | 考えられる原因 | 推奨アクション |\n| --- | --- | --- |\n"
                     "| **エラー** </br>*暗号化キーを設定できませんでした*。 | 破損しました | 登録します |\n"
                     "| **エラー** </br>*エラー 34506。構成されていません* | 原因 | 対処 |\n"
                     "| エラー 34507 | **原因** </br>領域がありません | 移動します |\n";
    int n;
    kb_remedy *a = S_remedies(md, &n);
    CHECK_INT(n, 3);
    if (n == 3) {
        CHECK_STR(a[0].error, "暗号化キーを設定できませんでした。");
        CHECK_STR(a[1].error, "エラー 34506。構成されていません");
        CHECK_STR(a[2].error, "エラー 34507");
        CHECK_INT(a[2].nCause, 1);
        if (a[2].nCause == 1) CHECK_STR(a[2].aCause[0], "領域がありません");
    }
    kb_remedy_free(a, n);
}

/* "| Problema | Resolución |" lists problems and their fixes: each row's
 * problem is its record's error, not the heading; a table of problems
 * with no fix (release notes' "| Problema | Descripción |") is none. */
static void test_remedy_problem_column_before_its_fix_is_the_error(void) {
    const char *md = "## Conectarse\n\n| Problema | Resolución |\n| --- | --- |\n"
                     "| Error de inicio de sesión (Error: 18456) | Agregue el usuario. |\n"
                     "| Bloqueado por el firewall | Abra el puerto 1433. |\n\n"
                     "## Notas\n\n| Problema | Descripción |\n| --- | --- |\n| Lento | Va lento. |\n";
    int n;
    kb_remedy *a = S_remedies(md, &n);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(a[0].error, "Error de inicio de sesión (Error: 18456)");
        CHECK_STR(a[1].error, "Bloqueado por el firewall");
        CHECK_INT(a[1].nAction, 1);
    }
    kb_remedy_free(a, n);
}

/* MABS writes the cause and the fix in its one "Workaround" column, each
 * after its label: the record's causes and actions, not "Cause:" as an
 * action. */
static void test_remedy_cell_of_labelled_parts_is_split(void) {
    const char *md = "## Ops\n\n| Operation | Error details | Workaround |\n| --- | --- | --- |\n"
                     "| Change Passphrase | Operation failed. ID: 120002 | **Cause:**<br/>Settings are on.<br/>"
                     "**Recommended Action:**<br/> Update the agent. |\n";
    int n;
    kb_remedy *a = S_remedies(md, &n);
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK_INT(a[0].nCause, 1);
        CHECK_INT(a[0].nAction, 1);
        if (a[0].nCause == 1) CHECK_STR(a[0].aCause[0], "Settings are on.");
        if (a[0].nAction == 1) CHECK_STR(a[0].aAction[0], "Update the agent.");
    }
    kb_remedy_free(a, n);
}

static void test_remedy_records_of_error_message_paragraphs(void) {
    const char *md = "### AzureOperationFailed\n\n**Error code**: `AzureOperationFailed`\n\n"
                     "**Error message**: Azure operation generic failure\n\n"
                     "**Cause**: Smart Tier is not supported.\n\n**Recommended action**: Disable it.\n\n"
                     "Código de error: UserErrorFsFreezeFailed <br/>\nMensaje de error: No se pudieron inmovilizar.\n\n"
                     "* Desmonte los dispositivos.\n* Vuelva a montar.\n";
    kb_remedy *a = NULL;
    int n = 0;
    kb_remedy_extract(md, strlen(md), &a, &n);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(a[0].error, "AzureOperationFailed: Azure operation generic failure");
        CHECK_INT(a[0].nCause, 1);
        CHECK_INT(a[0].nAction, 1);
        if (a[0].nCause == 1) CHECK_STR(a[0].aCause[0], "Smart Tier is not supported.");
        if (a[0].nAction == 1) CHECK_STR(a[0].aAction[0], "Disable it.");
        CHECK_STR(a[1].error, "UserErrorFsFreezeFailed: No se pudieron inmovilizar.");
        CHECK_INT(a[1].nAction, 2);
    }
    kb_remedy_free(a, n);
}

/* A symptom is what the reader sees go wrong: the record's error, not
 * the heading; a message beside its code is the error's message, as in a
 * paragraph's "Error code: X / Error message: Y". */
static void test_remedy_error_is_the_symptom_or_the_code_and_its_message(void) {
    const char *md = "### Known issues\n\n| Symptom | Cause | Resolution |\n| --- | --- | --- |\n"
                     "| Backup fails with 0x800423f2. | The VSS writer timed out. | Free memory. |\n\n"
                     "| Error code | Message | Resolution |\n| --- | --- | --- |\n"
                     "| UserErrorVmNotFound | The VM was deleted. | Stop protection. |\n";
    int n;
    kb_remedy *a = S_remedies(md, &n);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(a[0].error, "Backup fails with 0x800423f2.");
        CHECK_INT(a[0].nCause, 1);
        CHECK_STR(a[1].error, "UserErrorVmNotFound: The VM was deleted.");
        CHECK_INT(a[1].nAction, 1);
    }
    kb_remedy_free(a, n);
    /* A code and its message alone: a list of errors. A message column
     * with no error before it ("| Mensaje | Descripción |", the kinds of
     * message a device sends) and a table of known issues are no errors. */
    /* a row whose error cell is empty has the heading's error, as a table of fixes alone does */
    const char *zEmpty = "## Slow backups\n\n| Error | Cause | Resolution |\n| --- | --- | --- |\n"
                         "| | Disk is busy. | Wait. |\n";
    a = S_remedies(zEmpty, &n);
    CHECK_INT(n, 1);
    if (n == 1) CHECK_STR(a[0].error, "Slow backups");
    kb_remedy_free(a, n);
    const char *zList = "## Codes\n\n| Error code | Message |\n| --- | --- |\n| 0x80070005 | Access denied. |\n";
    a = S_remedies(zList, &n);
    CHECK_INT(n, 1);
    if (n == 1) CHECK_STR(a[0].error, "0x80070005: Access denied.");
    kb_remedy_free(a, n);
    const char *zNone = "## Messages\n\n| Mensaje | Descripción |\n| --- | --- |\n| Inicio | Se inicia. |\n\n"
                        "| Problema | Descripción |\n| --- | --- |\n| Lento | Es lento. |\n";
    a = S_remedies(zNone, &n);
    CHECK_INT(n, 0);
    kb_remedy_free(a, n);
}

KB_TEST_MAIN(test_remedy_error_is_the_symptom_or_the_code_and_its_message,
             test_remedy_records_of_vault_credentials_section, test_remedy_records_of_warning_codes_table,
             test_remedy_cell_drops_its_own_label, test_remedy_cell_of_labelled_parts_is_split,
             test_remedy_records_of_error_message_paragraphs, test_remedy_problem_column_before_its_fix_is_the_error)
