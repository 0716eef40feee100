; Inno Setup 6 script: a per-user installer for the WrapUp Desktop bundle.
;
;   iscc /DAppVersion=0.1.0 /DSourceDir=dist\pyinstaller\wrapup-desktop /Odist packaging\windows\wrapup-desktop.iss
;
; packaging/build.py passes both defines. The installer needs no administrator rights: it
; installs into %LOCALAPPDATA%\Programs\WrapUp Desktop and adds a Start-menu entry. The
; uninstaller asks whether to delete the client secrets that WrapUp Desktop stored in Windows
; Credential Manager, and runs `wrapup-desktop.exe forget-credentials --all` if the answer is yes.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\pyinstaller\wrapup-desktop"
#endif

#define AppName "WrapUp Desktop"
#define GuiExe "wrapup-desktop-gui.exe"
#define CliExe "wrapup-desktop.exe"

[Setup]
; The AppId identifies the installation for upgrades and the uninstaller: never change it.
AppId={{071CC0BE-B104-45E2-BCB4-490817F8E641}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=WrapUp Desktop developers
VersionInfoVersion={#AppVersion}
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SetupIconFile=..\..\resources\wrapup-desktop.ico
UninstallDisplayIcon={app}\{#GuiExe}
UninstallDisplayName={#AppName}
OutputBaseFilename=WrapUp-Desktop-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
; Closes a running copy before files are replaced.
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#GuiExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#GuiExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#GuiExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
{ Before the files are removed, offer to delete the stored client secrets. The settings and
  logs under %LOCALAPPDATA%\WrapUp Desktop stay; they hold no secrets. }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  ResultCode: Integer;
begin
  if (CurUninstallStep = usUninstall) and (not UninstallSilent) then
  begin
    if MsgBox('Also delete the Genesys Cloud client secrets that WrapUp Desktop stored in ' +
              'Windows Credential Manager?' + #13#10#13#10 +
              'Choose No to keep them for a later installation.',
              mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES then
    begin
      if not Exec(ExpandConstant('{app}\{#CliExe}'), 'forget-credentials --all', '',
                  SW_HIDE, ewWaitUntilTerminated, ResultCode) or (ResultCode <> 0) then
        MsgBox('The stored secrets could not be deleted (exit status ' + IntToStr(ResultCode) +
               '). Remove the entries named "WrapUp Desktop" in Credential Manager by hand.',
               mbError, MB_OK);
    end;
  end;
end;
