/* test_errid.c: error IDs - extraction, normalization, query keys, decoding. */
#include "kb_errid.h"
#include "kb_test.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Extracts from one block; returns the list (caller frees). */
static kb_errid_list ex(int role, const char *z, const char *zColHeader) {
    kb_errid_list l = {0};
    kb_errid_extract(&l, role, z, strlen(z), zColHeader);
    return l;
}

/* -1 if key is absent, else its defining flag. */
static int find(const kb_errid_list *l, const char *zKey) {
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->a[i].key, zKey) == 0) return l->a[i].defining;
    return -1;
}

/* Defining flag of key in the IDs of one block (-1 absent); also checks
 * that the block yields exactly nWant IDs when nWant >= 0. */
static int one(int role, const char *z, const char *zCol, const char *zKey, int nWant) {
    kb_errid_list l = ex(role, z, zCol);
    int r = find(&l, zKey);
    if (nWant >= 0 && l.n != nWant) {
        fprintf(stderr, "  \"%s\": %d IDs, want %d:", z, l.n, nWant);
        for (int i = 0; i < l.n; i++) fprintf(stderr, " %s", l.a[i].key);
        fprintf(stderr, "\n");
        r = -2;
    }
    kb_errid_list_free(&l);
    return r;
}

static int count(int role, const char *z, const char *zCol) {
    kb_errid_list l = ex(role, z, zCol);
    int n = l.n;
    kb_errid_list_free(&l);
    return n;
}

#define P KB_BLOCK_PARAGRAPH
#define H KB_BLOCK_HEADING
#define C KB_BLOCK_CELL

static void test_extract_message_ids_in_parentheses_in_every_locale(void) {
    CHECK_INT(one(P, "Error al registrar el agente. (Id.: 34513)", NULL, "34513", 1), 0);
    CHECK_INT(one(P, "Could not connect to Microsoft Azure Backup. (ID: 100050) Check your network", NULL, "100050", 1), 0);
    CHECK_INT(one(P, "Impossible d'enregistrer le serveur (Id : 34513)", NULL, "34513", 1), 0);
    CHECK_INT(one(P, "コンテナーの資格情報が無効です。(ID：34513)", NULL, "34513", 1), 0);
    CHECK_INT(one(P, "資格情報が無効です（ID：34513）", NULL, "34513", 1), 0);
    CHECK_INT(one(P, "Acceso denegado (Id.: 403)", NULL, "403", 1), 0);
    CHECK_INT(one(P, "ErrorCode - FileFaultFault (ID 33621 )", NULL, "33621", 1), 0);
    CHECK_INT(count(P, "(ID33621) (Idea: 33621) (ID: 12)", NULL), 0);
}

static void test_extract_error_word_before_a_number_in_every_locale(void) {
    CHECK_INT(one(P, "Error 34506. The encryption passphrase", NULL, "34506", 1), 0);
    CHECK_INT(one(P, "Fehler 34506: Die Passphrase", NULL, "34506", 1), 0);
    CHECK_INT(one(P, "Erreur 34506 : la phrase secrète", NULL, "34506", 1), 0);
    CHECK_INT(one(P, "エラー 34506。 このコンピューター用に保存されている", NULL, "34506", 1), 0);
    CHECK_INT(one(P, "暗号化エラー 34506 が発生しました", NULL, "34506", 1), 0);
    CHECK_INT(one(P, "Runtime - 12.0.21005 -- Error 1401.Could not create key", NULL, "1401", 1), 0);
    CHECK_INT(one(P, "an Event Viewer **error** 517 where", NULL, "517", 1), 0);
    /* A number after some other word is not an ID. */
    CHECK_INT(count(P, "Terror 34506 and errors 123", NULL), 0);
}

/* What Windows prints before a Win32 error ("System error 53", as the docs
 * quote net use) makes a number of any length that error: its HRESULT. */
static void test_extract_system_error_as_its_hresult(void) {
    CHECK_INT(one(P, "Aparece \"Error del sistema 53\" al montar", NULL, "0x80070035", 1), 0);
    CHECK_INT(one(P, "System error 5 has occurred. Access is denied.", NULL, "0x80070005", 1), 0);
    CHECK_INT(one(P, "「 系統錯誤 53 」 當您裝載", NULL, "0x80070035", 1), 0);
    CHECK_INT(one(P, "システム エラー 1326 が発生しました", NULL, "0x8007052e", 1), 0);
    /* the label alone, or a number no Win32 error has, is none */
    CHECK_INT(count(P, "a system error occurred 53 times", NULL), 0);
    /* punctuation after the label, or a Han counter after the number: a count */
    CHECK_INT(count(P, "system error: 5 retries; error del sistema, 3 veces", NULL), 0);
    CHECK_INT(count(P, "系統錯誤 3 次，系統錯誤 12 年", NULL), 0);
    CHECK_INT(one(P, "システムエラー53が発生しました", NULL, "0x80070035", 1), 0);
    /* the digits end where the block does, whatever the bytes after it */
    kb_errid_list l = {0};
    kb_errid_extract(&l, P, "System error 53" "4 more", strlen("System error 53"), NULL);
    CHECK_INT(l.n, 1);
    CHECK_STR(l.n ? l.a[0].key : "", "0x80070035");
    kb_errid_list_free(&l);
    CHECK_INT(one(P, "system error 70000", NULL, "0x80071170", -1), -1);
    CHECK_INT(count(P, "Error del sistema: 53.5", NULL), 0);
}

static void test_extract_http_error_statuses_after_http(void) {
    CHECK_INT(one(H, "El cliente está recibiendo mensajes de HTTP 409 (conflicto)", NULL, "409", 1), 1);
    CHECK_INT(one(H, "用戶端收到 HTTP 404 （找不到） 郵件", NULL, "404", 1), 1);
    CHECK_INT(one(P, "the server returns HTTP/1.1 503 Service Unavailable", NULL, "503", 1), 0);
    CHECK_INT(one(P, "Http: 429 when throttled", NULL, "429", 1), 0);
    /* Success codes, ports and other words ending in "http" are no IDs. */
    CHECK_INT(count(P, "HTTP/1.1 200 OK, HTTP 201 Created, HTTPS 443, xhttp 404, HTTP 4040", NULL), 0);
}

static void test_extract_hex_codes_in_all_spellings(void) {
    CHECK_INT(one(P, "Backup fails with 0x80070570.", NULL, "0x80070570", 1), 0);
    CHECK_INT(one(P, "The SDK returns 0x800434D4L when", NULL, "0x800434d4", 1), 0); /* a C suffix */
    CHECK_INT(count(P, "0x800434D4Lx, 0x12LL, 0x80070570ULX", NULL), 0);
    /* Machine translation spaced out the Spanish docs' hex codes. */
    CHECK_INT(one(C, "Parámetro no válido (excepción de HRESULT: 0 x 80070057)", "Mensaje de error", "0x80070057", 1),
              1);
    CHECK_INT(one(P, "|3.|0 x 80070057 - parámetro no válido|", NULL, "0x80070057", 1), 0);
    CHECK_INT(count(P, "a 1920 x 1080 screen, 0 x 24 bytes, 0 x 800700570, a0 x 80070057", NULL), 0);
    CHECK_INT(one(P, "error 0x8007018b occurs", NULL, "0x8007018b", 1), 0);
    CHECK_INT(one(P, "internal service error [0x1FC07]. Retry", NULL, "0x1fc07", 1), 0);
    CHECK_INT(one(P, "code 0X80070005 returned", NULL, "0x80070005", 1), 0);
    CHECK_INT(one(P, "code 0x0001FC07 returned", NULL, "0x1fc07", 1), 0);
    kb_errid_list l = ex(C, "0x80070002, 0x80070003", "Error code");
    CHECK_INT(l.n, 2);
    CHECK_INT(find(&l, "0x80070002"), 1);
    CHECK_INT(find(&l, "0x80070003"), 1);
    kb_errid_list_free(&l);
    CHECK_INT(one(KB_BLOCK_CODE, "Error: 0x80070005 Access is denied", NULL, "0x80070005", 1), 0);
}

static void test_extract_ignores_urls_flags_and_short_hex(void) {
    CHECK_INT(count(P, "[agent](https://go.microsoft.com/fwlink/?linkid=229525&clcid=0x409)", NULL), 0);
    CHECK_INT(count(P, "set the value to 0x1 or 0x00", NULL), 0);
    CHECK_INT(count(P, "the register 0xZZ is 0x", NULL), 0);
}

static void test_extract_ignores_years_ports_addresses_dates_sizes_versions(void) {
    CHECK_INT(count(P, "Since 2019, open port 443 to 10.0.0.1 on 06/04/2021.", NULL), 0);
    CHECK_INT(count(P, "Disks up to 4 TB or 4096 GB, agent 2.0.9145.0, 60,000 files", NULL), 0);
    CHECK_INT(count(P, "Visual Studio 2012 and TLS 1.2 (2020)", NULL), 0);
    CHECK_INT(count(H, "Backup of 4 TB disks fails since 2019", NULL), 0);
    CHECK_INT(count(H, "2019", NULL), 0);
    CHECK_INT(count(H, "2021 - What's new", NULL), 0);
    CHECK_INT(count(C, "2019", "Error"), 0);
    CHECK_INT(count(C, "443", "Port"), 0);
    /* An error column with a version is not an ID either. */
    CHECK_INT(count(C, "2.0.9145.0", "Error"), 0);
}

static void test_extract_http_status_only_in_error_context(void) {
    CHECK_INT(one(C, "The server failed.<li>(407) Proxy Authentication Required", "Error", "407", 1), 1);
    CHECK_INT(one(P, "The remote server returned an error: (407) Proxy Authentication Required.", NULL, "407", 1), 1);
    CHECK_INT(one(P, "This happens after error (503) too", NULL, "503", 1), 0);
    CHECK_INT(count(P, "See the list (407) on page (500).", NULL), 0);
    CHECK_INT(count(P, "(200) OK", NULL), 0);
}

static void test_extract_symbolic_codes_in_headings(void) {
    CHECK_INT(one(H, "UserErrorGuestAgentStatusUnavailable", NULL, "usererrorguestagentstatusunavailable", 1), 1);
    CHECK_INT(one(H, "#### UserErrorHanaPreScriptNotRun", NULL, "usererrorhanaprescriptnotrun", 1), 1);
    CHECK_INT(one(H, "UserErrorVmProvisioningStateFailed - The VM is in failed provisioning state", NULL,
                  "usererrorvmprovisioningstatefailed", 1), 1);
    CHECK_INT(one(H, "UserErrorGuestAgentStatusUnavailable: El agente de máquina virtual no se puede comunicar", NULL,
                  "usererrorguestagentstatusunavailable", 1), 1);
    CHECK_INT(one(H, "FileShareNotFound- Operation failed as the file share isn't found", NULL, "filesharenotfound", 1), 1);
    CHECK_INT(one(H, "SalLowDiskSpace", NULL, "sallowdiskspace", 1), 1);
    CHECK_INT(one(H, "AzureVmOffline", NULL, "azurevmoffline", 1), 1);
    kb_errid_list l = ex(H, "ExtensionSnapshotFailedCOM / ExtensionInstallationFailedCOM / ExtensionInstallationFailedMDTC - "
                            "Extension installation/operation failed due to a COM+ error", NULL);
    CHECK_INT(l.n, 3);
    CHECK_INT(find(&l, "extensioninstallationfailedmdtc"), 1);
    kb_errid_list_free(&l);
    l = ex(H, "320001, ResourceNotFound - Could not perform the operation as VM no longer exists / 400094, BCMV2VMNotFound "
              "- The virtual machine doesn't exist", NULL);
    CHECK_INT(find(&l, "320001"), 1);
    CHECK_INT(find(&l, "resourcenotfound"), 1);
    CHECK_INT(find(&l, "bcmv2vmnotfound"), 1);
    kb_errid_list_free(&l);
    /* A code broken in two by a stray space is found whole too. */
    l = ex(H, "OperationCancelledBecauseConflictingAutohealOperationRunning UserError", NULL);
    CHECK_INT(find(&l, "operationcancelledbecauseconflictingautohealoperationrunningusererror"), 1);
    CHECK_INT(find(&l, "operationcancelledbecauseconflictingautohealoperationrunning"), 1);
    kb_errid_list_free(&l);
    /* An error name in the prose of a heading. */
    CHECK_INT(one(H, "Backup fails with ExtensionSnapshotFailedNoNetwork", NULL, "extensionsnapshotfailednonetwork", 1), 1);
}

static void test_extract_no_symbolic_codes_from_ordinary_headings(void) {
    CHECK_INT(count(H, "PowerShell", NULL), 0);
    CHECK_INT(count(H, "Method 1: Install Windows Server Backup using PowerShell", NULL), 0);
    CHECK_INT(count(H, "Troubleshoot SharePoint and JavaScript issues", NULL), 0);
    CHECK_INT(count(H, "Windows", NULL), 0);
    CHECK_INT(count(H, "Next steps", NULL), 0);
}

static void test_extract_no_symbolic_codes_from_paragraphs(void) {
    CHECK_INT(count(P, "The UserErrorGuestAgentStatusUnavailable error means the agent is down.", NULL), 0);
    CHECK_INT(count(P, "Use Microsoft.RecoveryServices/vaults and Get-AzRecoveryServicesVault.", NULL), 0);
}

static void test_extract_symbolic_codes_in_error_cells_and_after_labels(void) {
    CHECK_INT(one(C, "UserErrorSkuNotAvailable", "Error code", "usererrorskunotavailable", 1), 1);
    CHECK_INT(one(C, "SalChecksumStoreInitializationFailed", "Código de error", "salchecksumstoreinitializationfailed", 1), 1);
    CHECK_INT(one(C, "UserErrorSkuNotAvailable", "Description", "usererrorskunotavailable", 0), -1);
    CHECK_INT(one(P, "Error code: UserErrorFsFreezeFailed", NULL, "usererrorfsfreezefailed", 1), 1);
    CHECK_INT(one(P, "Código de error: UserErrorFsFreezeFailed", NULL, "usererrorfsfreezefailed", 1), 1);
    CHECK_INT(one(P, "Fehlercode: UserErrorFsFreezeFailed", NULL, "usererrorfsfreezefailed", 1), 1);
    CHECK_INT(one(P, "Code d'erreur : UserErrorFsFreezeFailed", NULL, "usererrorfsfreezefailed", 1), 1);
    CHECK_INT(one(P, "エラー コード: UserErrorFsFreezeFailed", NULL, "usererrorfsfreezefailed", 1), 1);
    CHECK_INT(one(P, "**Error Code**: VmNotInDesirableState", NULL, "vmnotindesirablestate", 1), 1);
    CHECK_INT(one(C, "getting Error ID: 2013", "Description", "2013", 1), 1);
    CHECK_INT(one(C, "Id. del error: 2013", "Descripción", "2013", 1), 1);
    CHECK_INT(one(C, "エラー ID: 2013", "説明", "2013", 1), 1);
    /* "ID: N" without parentheses ends a message in an error cell */
    CHECK_INT(one(C, "Operation failed. ID: 120002", "Error", "120002", 1), 1);
    CHECK_INT(one(C, "操作に失敗しました。 ID: 120002", "エラー", "120002", 1), 1);
    CHECK_INT(count(P, "The subscription ID: 123456 is shown in the portal", NULL), 0); /* prose names other IDs */
    /* The label word is not itself a code. */
    CHECK_INT(one(C, "ErrorCode - FileFaultFault (ID 33621)", "Error", "filefaultfault", 2), 1);
    kb_errid_list l = ex(P, "Error code: 320001, ResourceNotFound  Error message: Could not perform the operation. "
                            "Error code: 400094, BCMV2VMNotFound", NULL);
    CHECK_INT(l.n, 4);
    CHECK_INT(find(&l, "320001"), 1);
    CHECK_INT(find(&l, "resourcenotfound"), 1);
    CHECK_INT(find(&l, "400094"), 1);
    CHECK_INT(find(&l, "bcmv2vmnotfound"), 1);
    kb_errid_list_free(&l);
    /* The label needs its colon: prose is not a label. */
    CHECK_INT(count(P, "The error code UserErrorFsFreezeFailed is common", NULL), 0);
    CHECK_INT(count(P, "Note: the error code UserErrorFsFreezeFailed is common", NULL), 0);
}

/* "Invoke HcsSetupWizard: Invalid parameter (Exception from HRESULT:
 * 0x80070057)": in an error cell with a code, a CamelCase name followed by
 * a colon is the command that failed, not the error. An error-ish name, a
 * name not before a colon, or a cell with no code keeps it, and so does a
 * cell that opens with it, where a cell writes its code ("UserErrorX: ..."). */
static void test_extract_command_before_a_colon_in_an_error_cell_is_no_code(void) {
    const char *zCol = "Mensaje de error";
    CHECK_INT(one(C, "Invoke HcsSetupWizard: Invalid parameter (Exception from HRESULT: 0x80070057)", zCol,
                  "0x80070057", 1), 1);
    CHECK_INT(one(C, "呼叫 HcsSetupWizard︰ 不正確的參數 (從 HRESULT 的例外狀況︰ 0x80070057)", zCol, "0x80070057", 1), 1);
    CHECK_INT(one(C, "呼叫 HcsSetupWizard：無法使用 (錯誤 34506)", zCol, "34506", 1), 1);
    CHECK_INT(one(C, "Run **HcsSetupWizard** : RPC failed (0x800706be)", zCol, "0x800706be", 1), 1);
    CHECK_INT(one(C, "UserErrorGuestAgentStatusUnavailable: VM agent unable to communicate (0x80070005)", zCol,
                  "usererrorguestagentstatusunavailable", 2), 1);
    CHECK_INT(one(C, "ErrorCode - FileFaultFault (ID 33621)", zCol, "filefaultfault", 2), 1);
    CHECK_INT(one(C, "Invoke HcsSetupWizard: This command can only be run on the active controller.", zCol,
                  "hcssetupwizard", 1), 1);
    CHECK_INT(one(C, "HcsSetupWizard: RPC failed (0x800706be)", zCol, "hcssetupwizard", 2), 1);
}

/* Labels are looked up only before a block's last colon, whichever it is. */
static void test_extract_labels_with_any_colon_anywhere_in_the_block(void) {
    CHECK_INT(one(P, "錯誤碼：UserErrorFsFreezeFailed", NULL, "usererrorfsfreezefailed", 1), 1);
    CHECK_INT(one(P, "錯誤碼 ：UserErrorFsFreezeFailed", NULL, "usererrorfsfreezefailed", 1), 1);
    CHECK_INT(one(P, "**Error code**:", NULL, "x", 0), -1);
    kb_errid_list l = ex(P, "See the log.\nError code: UserErrorFsFreezeFailed. Tip: retry later, "
                            "as error code: VmNotInDesirableState says", NULL);
    CHECK_INT(l.n, 2);
    CHECK_INT(find(&l, "usererrorfsfreezefailed"), 1);
    CHECK_INT(find(&l, "vmnotindesirablestate"), 1);
    kb_errid_list_free(&l);
}

static void test_extract_defining_on_error_message_lines_only(void) {
    CHECK_INT(one(P, "Error message: Invalid vault credentials provided (ID: 34513)", NULL, "34513", 1), 1);
    CHECK_INT(one(P, "Mensaje de error: credenciales no válidas (Id.: 34513)", NULL, "34513", 1), 1);
    CHECK_INT(one(P, "See also (ID: 34513) for details", NULL, "34513", 1), 0);
    kb_errid_list l = ex(P, "Error message: the file is corrupt 0x80070570\nSee 0x80070005 too", NULL);
    CHECK_INT(find(&l, "0x80070570"), 1);
    CHECK_INT(find(&l, "0x80070005"), 0);
    kb_errid_list_free(&l);
    CHECK_INT(one(H, "Error 0x80070005 when registering", NULL, "0x80070005", 1), 1);
    CHECK_INT(one(C, "34513", "Error", "34513", 1), 1);
}

static void test_extract_later_defining_occurrence_upgrades_a_mention(void) {
    kb_errid_list l = {0};
    const char *zPara = "See 0x80070570 below.";
    const char *zHead = "0x80070570";
    kb_errid_extract(&l, P, zPara, strlen(zPara), NULL);
    CHECK_INT(find(&l, "0x80070570"), 0);
    kb_errid_extract(&l, H, zHead, strlen(zHead), NULL);
    CHECK_INT(l.n, 1);
    CHECK_INT(find(&l, "0x80070570"), 1);
    kb_errid_extract(&l, P, zPara, strlen(zPara), NULL);
    CHECK_INT(find(&l, "0x80070570"), 1);
    kb_errid_list_free(&l);
    CHECK(l.a == NULL && l.n == 0);
}

static void test_extract_windows_error_names_as_hresults(void) {
    CHECK_INT(one(P, "GetLastError returns ERROR_FILE_CORRUPT here", NULL, "0x80070570", 1), 0);
    CHECK_INT(one(H, "E_ACCESSDENIED", NULL, "0x80070005", 1), 1);
    CHECK_INT(count(P, "NOT_A_WINDOWS_NAME and S_OK", NULL), 0);
}

static void test_normalize_is_case_insensitive_and_drops_leading_zeros(void) {
    char k[KB_ERRID_KEY_MAX];
    CHECK_INT(kb_errid_normalize("0X0001FC07", 10, k, sizeof k), KB_ERRID_HEX);
    CHECK_STR(k, "0x1fc07");
    CHECK_INT(kb_errid_normalize("[0x1FC07]", 9, k, sizeof k), KB_ERRID_HEX);
    CHECK_STR(k, "0x1fc07");
    CHECK_INT(kb_errid_normalize("0x00000000", 10, k, sizeof k), KB_ERRID_HEX);
    CHECK_STR(k, "0x0");
    CHECK_INT(kb_errid_normalize("SalBitmapError", 14, k, sizeof k), KB_ERRID_SYMBOLIC);
    CHECK_STR(k, "salbitmaperror");
    CHECK_INT(kb_errid_normalize("34513", 5, k, sizeof k), KB_ERRID_NUMERIC);
    CHECK_STR(k, "34513");
    CHECK_INT(kb_errid_normalize("-2147024891", 11, k, sizeof k), KB_ERRID_HEX);
    CHECK_STR(k, "0x80070005");
    CHECK_INT(kb_errid_normalize("2147942405", 10, k, sizeof k), KB_ERRID_HEX);
    CHECK_STR(k, "0x80070005");
    /* The ends of a signed 32-bit HRESULT: -2147483648 is 0x80000000; one
     * more is no HRESULT, and -1 is 0xffffffff. */
    CHECK_INT(kb_errid_normalize("-2147483648", 11, k, sizeof k), KB_ERRID_HEX);
    CHECK_STR(k, "0x80000000");
    CHECK_INT(kb_errid_normalize("-2147483649", 11, k, sizeof k), -1);
    CHECK_INT(kb_errid_normalize("-1", 2, k, sizeof k), KB_ERRID_HEX);
    CHECK_STR(k, "0xffffffff");
    CHECK_INT(kb_errid_normalize("error_file_corrupt", 18, k, sizeof k), KB_ERRID_HEX);
    CHECK_STR(k, "0x80070570");
    CHECK_INT(kb_errid_normalize("Hello world", 11, k, sizeof k), -1);
    CHECK_INT(kb_errid_normalize("short", 5, k, sizeof k), -1);
    CHECK_INT(kb_errid_normalize("0xG1", 4, k, sizeof k), -1);
    CHECK_INT(kb_errid_normalize("", 0, k, sizeof k), -1);
    CHECK_INT(kb_errid_normalize("0x80070570", 10, k, 4), -1); /* does not fit */
}

/* Index of key in the query's keys, -1 if absent. */
static int qfind(const char *zQuery, const char *zKey, int *pIsPrefix) {
    kb_errid_qkey a[16];
    int n = kb_errid_query_keys(zQuery, a, 16);
    for (int i = 0; i < n; i++) {
        if (strcmp(a[i].key, zKey) == 0) {
            if (pIsPrefix) *pIsPrefix = a[i].isPrefix;
            return i;
        }
    }
    return -1;
}

static void test_query_three_hresult_spellings_give_one_key(void) {
    CHECK_INT(qfind("0x80070005", "0x80070005", NULL), 0);
    CHECK_INT(qfind("2147942405", "0x80070005", NULL), 0);
    CHECK_INT(qfind("2147942405", "2147942405", NULL), 1);
    CHECK_INT(qfind("error -2147024891 on backup", "0x80070005", NULL), 0);
    CHECK_INT(qfind("error -2147024891 on backup", "-2147024891", NULL), 1);
    CHECK_INT(qfind("80070005", "0x80070005", NULL), 0);
    /* As winerror.h and C code write them. */
    CHECK_INT(qfind("0x80070005L", "0x80070005", NULL), 0);
    CHECK_INT(qfind("_HRESULT_TYPEDEF_(0x80070005UL)", "0x80070005", NULL), 0);
    CHECK_INT(qfind("0xL", "0x0", NULL), -1);
}

static void test_query_windows_error_name_gives_hresult_key(void) {
    CHECK_INT(qfind("ERROR_FILE_CORRUPT", "0x80070570", NULL), 0);
    CHECK(qfind("ERROR_FILE_CORRUPT", "1392", NULL) > 0);
    CHECK_INT(qfind("backup E_ACCESSDENIED", "0x80070005", NULL), 0);
    kb_errid_qkey a[4];
    const char *zQ = "disk ERROR_FILE_CORRUPT";
    CHECK(kb_errid_query_keys(zQ, a, 4) >= 1);
    CHECK_INT(a[0].iStart, 5);
    CHECK_INT(a[0].iEnd, strlen(zQ));
}

static void test_query_win32_code_as_error_guesses_its_hresult(void) {
    kb_errid_qkey a[8];
    int n = kb_errid_query_keys("error 1392", a, 8);
    CHECK_INT(n, 2);
    CHECK_STR(a[0].key, "1392");
    CHECK_INT(a[0].isGuess, 0);
    CHECK_STR(a[1].key, "0x80070570");
    CHECK_INT(a[1].isGuess, 1);
    CHECK_INT(qfind("1392", "0x80070570", NULL), 1);
    CHECK_INT(qfind("(1392)", "0x80070570", NULL), 1);
    CHECK_INT(qfind("0x570", "0x570", NULL), 0);
    CHECK_INT(qfind("0x570", "0x80070570", NULL), 1);
    /* Not in an error's place, or not a Win32 error: no guess. */
    CHECK_INT(qfind("backup 1392 files", "0x80070570", NULL), -1);
    CHECK_INT(qfind("error 65536", "0x80070000", NULL), -1);
    CHECK_INT(qfind("0x80070570", "0x80070570", NULL), 0);
    /* Typed as the HRESULT too: the sure reading wins. */
    n = kb_errid_query_keys("0x80070570 error 1392", a, 8);
    CHECK_STR(a[0].key, "0x80070570");
    CHECK_INT(a[0].isGuess, 0);
}

/* "System error 53 has occurred.": the HRESULT, sure, label and all. */
static void test_query_system_error_gives_its_hresult(void) {
    kb_errid_qkey a[8];
    const char *z = "System error 53 has occurred.";
    int n = kb_errid_query_keys(z, a, 8);
    CHECK(n >= 1);
    CHECK_STR(a[0].key, "0x80070035");
    CHECK_INT(a[0].isGuess, 0);
    CHECK_INT((int)a[0].iStart, 0);
    CHECK_INT((int)a[0].iEnd, (int)strlen("System error 53"));
    CHECK_INT(qfind("error de sistema 53", "0x80070035", NULL), 0);
    CHECK_INT(qfind("系統錯誤 53", "0x80070035", NULL), 0);
    /* two digits after "error": a guess, taken only if some section lists it */
    n = kb_errid_query_keys("error 53 net use", a, 8);
    CHECK(n >= 1);
    CHECK_STR(a[0].key, "0x80070035");
    CHECK_INT(a[0].isGuess, 1);
    CHECK_INT(qfind("port 53", "0x80070035", NULL), -1);
    CHECK_INT(qfind("error 00", "0x80070000", NULL), -1);
}

static void test_query_id_forms_and_numbers(void) {
    CHECK_INT(qfind("Id.: 34513", "34513", NULL), 0);
    CHECK_INT(qfind("(ID: 403)", "403", NULL), 0);
    CHECK_INT(qfind("error 34506", "34506", NULL), 0);
    CHECK_INT(qfind("34506", "34506", NULL), 0);
    CHECK_INT(qfind("(ID：34513)", "34513", NULL), 0);
    CHECK_INT(qfind("[0x1FC07]", "0x1fc07", NULL), 0);
    CHECK_INT(qfind("HTTP 409 conflicto", "409", NULL), 0);
    /* An HTTP status is no Win32 code: no HRESULT is guessed from it. */
    CHECK_INT(qfind("HTTP 487", "0x800701e7", NULL), -1);
    CHECK_INT(qfind("error 487", "0x800701e7", NULL), 1);
    CHECK_INT(qfind("error 1722", "0x800706ba", NULL), 1);
    CHECK_INT(qfind("RPC_S_SERVER_UNAVAILABLE", "0x800706ba", NULL), 0);
    /* typed as an error, a code winerror.h names not; alone, a number */
    CHECK_INT(qfind("error 611", "0x80070263", NULL), 1);
    CHECK_INT(qfind("0x263", "0x80070263", NULL), 1);
    CHECK_INT(qfind("611", "0x80070263", NULL), -1);
    CHECK_INT(qfind("port 44", "44", NULL), -1);
    CHECK_INT(qfind("agent 2.0.9145.0", "9145", NULL), -1);
    CHECK_INT(qfind("10.0.0.1", "10", NULL), -1);
    /* A label glued by ':' or '=' names an error, as logs write it; a
     * parameter or a version does not. */
    CHECK_INT(qfind("error:34513", "34513", NULL), 0);
    CHECK_INT(qfind("ErrorCode=40613", "40613", NULL), 0);
    CHECK_INT(qfind("error_code=40613", "40613", NULL), 0);
    CHECK_INT(qfind("ID:34513", "34513", NULL), 0);
    CHECK_INT(qfind("hr=2147942405", "0x80070005", NULL), 0);
    CHECK_INT(qfind("Error Number:40613,State:1,Class:17", "40613", NULL), 0); /* .NET's SqlException */
    CHECK_INT(qfind("Msg:40613", "40613", NULL), 0);
    CHECK_INT(qfind("page=34513", "34513", NULL), -1);
    CHECK_INT(qfind("phonenumber=34513", "34513", NULL), -1);
    CHECK_INT(qfind("v1:34513", "34513", NULL), -1);
    CHECK_INT(qfind("encode=34513", "34513", NULL), -1);
    CHECK_INT(qfind("PID=34513", "34513", NULL), -1);
}

/* A code in parts joined by '-' or '_' (a URL's, a log key's) is the
 * parts joined; a Windows name stays one, and words with digits or short
 * ones are no code. */
/* A log pasted into a page holds 200,000 codes: each new one had been
 * compared with every one before (203 s to index such a page). The bound
 * is far above the time a linear list takes, and far below a quadratic's. */
static void test_extract_many_codes_in_linear_time(void) {
    enum { N_CODES = 200000 };
    char *z = malloc((size_t)N_CODES * 11 + 1);
    for (int i = 0; i < N_CODES; i++) snprintf(z + (size_t)i * 11, 12, "0x%08x ", 0x80000000u + (unsigned)i * 7919u);
    clock_t t0 = clock();
    kb_errid_list l = ex(P, z, NULL);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK_INT(l.n, N_CODES);
    CHECK(secs < 20);
    kb_errid_list_free(&l);
    free(z);
}

static void test_query_code_in_joined_parts(void) {
    CHECK(qfind("Invalid-Soft-Match", "invalidsoftmatch", NULL) >= 0);
    CHECK_INT(qfind("Invalid-Soft-Match", "softmatch", NULL), -1); /* the run, not its tail */
    CHECK(qfind("error invalid_soft_match here", "invalidsoftmatch", NULL) >= 0);
    CHECK_INT(qfind("ERROR_FILE_CORRUPT", "errorfilecorrupt", NULL), -1);
    CHECK_INT(qfind("re-run", "rerun", NULL), -1);
    CHECK_INT(qfind("step-2-configure", "step2configure", NULL), -1);
}

static void test_query_symbolic_candidates_and_prefixes(void) {
    int isPrefix = -1;
    CHECK_INT(qfind("SalChecksumStore", "salchecksumstore", &isPrefix), 0);
    CHECK_INT(isPrefix, 1);
    CHECK_INT(qfind("salbitmaperror", "salbitmaperror", &isPrefix), 0);
    CHECK_INT(isPrefix, 1);
    CHECK_INT(qfind("SalBitmap fails", "salbitmap", &isPrefix), 0);
    CHECK_INT(isPrefix, 0);
    CHECK_INT(qfind("SalChecksumStore fails", "salchecksumstore", &isPrefix), 0);
    CHECK_INT(isPrefix, 1);
    /* In a sentence, a long lower-case word is a word, not a code's start. */
    CHECK_INT(qfind("Error: The subscription is not registered", "subscription", &isPrefix), 0);
    CHECK_INT(isPrefix, 0);
    CHECK_INT(qfind("vm agent", "agent", NULL), -1);
    /* A code's start of 12 characters is a prefix; of 11 it is itself only
     * (README: "a prefix of 12+ characters"). */
    CHECK_INT(qfind("SalChecksumS", "salchecksums", &isPrefix), 0);
    CHECK_INT(isPrefix, 1);
    CHECK_INT(qfind("SalChecksum", "salchecksum", &isPrefix), 0);
    CHECK_INT(isPrefix, 0);
}

static void test_query_orders_most_specific_first(void) {
    kb_errid_qkey a[8];
    int n = kb_errid_query_keys("snapshot failed UserErrorFsFreezeFailed 34506 0x80070570", a, 8);
    CHECK(n >= 3);
    CHECK_STR(a[0].key, "0x80070570");
    CHECK_STR(a[1].key, "usererrorfsfreezefailed");
    CHECK_STR(a[2].key, "34506");
    CHECK_INT(kb_errid_query_keys("0x80070570 0x80070005", a, 1), 1);
    CHECK_INT(kb_errid_query_keys("", a, 8), 0);
    CHECK_INT(kb_errid_query_keys("how to restore a vm", a, 8), 0);
}

static void test_decode_names_hresults_from_winerror(void) {
    char z[256];
    CHECK_INT(kb_errid_decode("0x80070570", z, sizeof z), 1);
    CHECK_STR(z, "0x80070570 = HRESULT_FROM_WIN32(ERROR_FILE_CORRUPT = 1392)");
    CHECK_INT(kb_errid_decode("0x80070005", z, sizeof z), 1);
    CHECK_STR(z, "0x80070005 = E_ACCESSDENIED = HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED = 5)");
    CHECK_INT(kb_errid_decode("0x80004005", z, sizeof z), 1);
    CHECK_STR(z, "0x80004005 = E_FAIL");
    /* mingw's winerror.h has no name for 395 (ERROR_CLOUD_FILE_ACCESS_DENIED): the code alone. */
    CHECK_INT(kb_errid_decode("0X8007018B", z, sizeof z), 1);
    CHECK_STR(z, "0x8007018b = HRESULT_FROM_WIN32(395)");
    CHECK_INT(kb_errid_decode("0x1fc07", z, sizeof z), 0);
    /* The RPC runtime's errors are Win32 errors, though "_S_" marks success elsewhere. */
    CHECK_INT(kb_errid_decode("0x800706ba", z, sizeof z), 1);
    CHECK_STR(z, "0x800706ba = HRESULT_FROM_WIN32(RPC_S_SERVER_UNAVAILABLE = 1722)");
    /* HRESULT_FROM_WIN32(ERROR_SUCCESS) is S_OK, not this (a hostile tester's) */
    CHECK_INT(kb_errid_decode("0x80070000", z, sizeof z), 0);
    CHECK_INT(kb_errid_decode("34513", z, sizeof z), 0);
    CHECK_INT(kb_errid_decode("salbitmaperror", z, sizeof z), 0);
}

static void test_winerror_table_lookups(void) {
    unsigned long v = 0;
    CHECK_INT(kb_winerror_by_name("ERROR_FILE_CORRUPT", &v), 1);
    CHECK_INT(v, 1392);
    CHECK_INT(kb_winerror_by_name("E_ACCESSDENIED", &v), 1);
    CHECK_INT(v, 0x80070005UL);
    CHECK_INT(kb_winerror_by_name("WSAECONNREFUSED", &v), 1);
    CHECK_INT(v, 10061);
    CHECK_INT(kb_winerror_by_name("NO_SUCH_ERROR_NAME", &v), 0);
    CHECK_STR(kb_winerror_name(1392), "ERROR_FILE_CORRUPT");
    CHECK_STR(kb_winerror_name(5), "ERROR_ACCESS_DENIED");
    CHECK_STR(kb_winerror_name(0x80004005UL), "E_FAIL");
    CHECK(kb_winerror_name(0x1FC07UL) == NULL);
}

static void test_extract_survives_hostile_input(void) {
    /* Invalid UTF-8, truncated forms at the very end, huge tokens. */
    static const char *const az[] = {"\xFF\xFE(Id", "(ID: 12345", "0x", "Error", "エラー", "(", "\xEF\xBC",
                                     "Error code:", "\xE3\x80", "-", "(4", "0x1FC07", NULL};
    for (int i = 0; az[i]; i++)
        for (int role = 0; role <= KB_BLOCK_CODE; role++) count(role, az[i], "Error");
    size_t n = 100000;
    char *z = malloc(n + 1);
    for (size_t i = 0; i < n; i++) z[i] = "Ab0x9(: "[i % 8];
    z[n] = 0;
    kb_errid_list l = {0};
    kb_errid_extract(&l, KB_BLOCK_HEADING, z, n, NULL);
    kb_errid_list_free(&l);
    memset(z, 'A', n);
    memcpy(z, "Error code: ", 12);
    kb_errid_extract(&l, KB_BLOCK_PARAGRAPH, z, n, NULL);
    CHECK_INT(l.n, 0); /* a 100000-letter token is no code */
    kb_errid_list_free(&l);
    kb_errid_qkey a[4];
    CHECK(kb_errid_query_keys(z, a, 4) == 0);
    free(z);
}

KB_TEST_MAIN(test_extract_survives_hostile_input,
             test_extract_message_ids_in_parentheses_in_every_locale,
             test_extract_error_word_before_a_number_in_every_locale,
             test_extract_system_error_as_its_hresult,
             test_extract_http_error_statuses_after_http,
             test_extract_hex_codes_in_all_spellings,
             test_extract_ignores_urls_flags_and_short_hex,
             test_extract_ignores_years_ports_addresses_dates_sizes_versions,
             test_extract_http_status_only_in_error_context,
             test_extract_symbolic_codes_in_headings,
             test_extract_no_symbolic_codes_from_ordinary_headings,
             test_extract_no_symbolic_codes_from_paragraphs,
             test_extract_symbolic_codes_in_error_cells_and_after_labels,
             test_extract_command_before_a_colon_in_an_error_cell_is_no_code,
             test_extract_labels_with_any_colon_anywhere_in_the_block,
             test_extract_defining_on_error_message_lines_only,
             test_extract_later_defining_occurrence_upgrades_a_mention,
             test_extract_windows_error_names_as_hresults,
             test_normalize_is_case_insensitive_and_drops_leading_zeros,
             test_query_three_hresult_spellings_give_one_key,
             test_query_windows_error_name_gives_hresult_key,
             test_query_id_forms_and_numbers,
             test_query_symbolic_candidates_and_prefixes,
             test_query_orders_most_specific_first,
             test_query_win32_code_as_error_guesses_its_hresult,
             test_query_system_error_gives_its_hresult,
             test_decode_names_hresults_from_winerror, test_query_code_in_joined_parts,
             test_extract_many_codes_in_linear_time,
             test_winerror_table_lookups)
