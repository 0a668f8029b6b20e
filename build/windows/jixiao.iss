; Inno Setup 6 script for jixiao (绩效自评表填报工具) on Windows 10/11 x64.
;
; Builds build\out\jixiao-<version>-setup.exe from the PyInstaller onedir app
; build\out\dist\jixiao\ (jixiao.exe = console/CLI, jixiao-gui.exe = windowed).
; `python build\build.py` runs this automatically when ISCC.exe is installed:
;
;   ISCC.exe /DAppVersion=<version> "/DBundleDir=%CD%\build\out\dist\jixiao" build\windows\jixiao.iss
;
; AppVersion is passed by build.py from pyproject.toml (the only place the version
; is written). Without /DAppVersion it is read from jixiao.exe's version resource,
; which installer.spec also fills from pyproject.toml. See docs/building.md.

#ifndef BundleDir
  #define BundleDir "..\out\dist\jixiao"
#endif
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(AddBackslash(BundleDir) + "jixiao.exe", "ProductVersion")
#endif
; ChineseSimplified.isl ships with Inno Setup 6.4 and later. With an older
; Inno Setup, put the translation (github.com/jrsoftware/issrc,
; Files/Languages/Unofficial/ChineseSimplified.isl) into its Languages folder.
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
  #define HaveZh
#else
  #pragma message "Languages\ChineseSimplified.isl not found: this installer will be English only"
#endif
#define AppName "绩效自评表填报工具"
#define AppNameEn "jixiao"
#define AppExe "jixiao-gui.exe"
#define AssocExt ".jxzp"
#define AssocKey "jixiao.Document.1"
#define AssocName "绩效自评文件"

[Setup]
; AppId identifies the product for upgrades and the uninstaller: never change it.
AppId={{8F0C7A52-3E4B-4C1D-9B7E-6A2D5F1C9E34}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=jixiao
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
DefaultDirName={autopf}\jixiao
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per-machine by default (officers' PCs are often shared); a user without admin
; rights can choose "install for me only" (then HKA = HKCU, {autopf} = per-user).
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
ChangesAssociations=yes
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
SetupIconFile=..\..\resources\icons\jixiao.ico
OutputBaseFilename=jixiao-{#AppVersion}-setup
OutputDir=..\out
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto
CloseApplications=yes

[Languages]
; Simplified Chinese first: it is also the fallback on a non-Chinese Windows.
#ifdef HaveZh
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#endif
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
english.AssocTask=Open .jxzp documents with jixiao
english.AssocGroup=File types:
english.Launch=Start jixiao now
#ifdef HaveZh
chinesesimplified.AssocTask=用本程序打开 .jxzp 绩效自评文件
chinesesimplified.AssocGroup=文件关联：
chinesesimplified.Launch=立即启动{#AppName}
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "assoc"; Description: "{cm:AssocTask}"; GroupDescription: "{cm:AssocGroup}"

[InstallDelete]
; An upgrade replaces the whole bundle: drop files an older version had.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "..\..\resources\icons\jixiao.ico"; DestDir: "{app}"; Flags: ignoreversion

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; IconFilename: "{app}\jixiao.ico"; Comment: "填报、校验并导出预算绩效自评表"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; IconFilename: "{app}\jixiao.ico"; Tasks: desktopicon

[Registry]
; .jxzp -> jixiao.Document.1 (HKA: HKLM for an all-users install, HKCU otherwise).
Root: HKA; Subkey: "Software\Classes\{#AssocExt}\OpenWithProgids"; ValueType: string; ValueName: "{#AssocKey}"; ValueData: ""; Flags: uninsdeletevalue; Tasks: assoc
Root: HKA; Subkey: "Software\Classes\{#AssocExt}"; ValueType: string; ValueName: ""; ValueData: "{#AssocKey}"; Flags: uninsdeletevalue; Tasks: assoc
Root: HKA; Subkey: "Software\Classes\{#AssocExt}"; ValueType: string; ValueName: "Content Type"; ValueData: "application/x-jixiao-document"; Flags: uninsdeletevalue; Tasks: assoc
Root: HKA; Subkey: "Software\Classes\{#AssocKey}"; ValueType: string; ValueName: ""; ValueData: "{#AssocName}"; Flags: uninsdeletekey; Tasks: assoc
Root: HKA; Subkey: "Software\Classes\{#AssocKey}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\jixiao.ico,0"; Tasks: assoc
Root: HKA; Subkey: "Software\Classes\{#AssocKey}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""; Tasks: assoc
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: "{#AssocExt}"; ValueData: ""; Flags: uninsdeletekey; Tasks: assoc

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:Launch}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
Type: filesandordirs; Name: "{app}\_internal"
