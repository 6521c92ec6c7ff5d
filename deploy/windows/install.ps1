#Requires -RunAsAdministrator
<#
.SYNOPSIS
    Installs MirtLab as a Windows service running as the virtual account NT SERVICE\MirtLab.
.DESCRIPTION
    dotnet publish src\MirtLab.Worker -c Release -o out\mirtlab      (on Windows: the program is mirtlab.exe)
    powershell -ExecutionPolicy Bypass -File deploy\windows\install.ps1 -PublishDir out\mirtlab

    Copies the program to -InstallDir (read-only for the service), the shipped configuration to -ConfigDir (never
    over an existing one; Paths:DataRoot set to -DataDir), creates the service (automatic, delayed start) under the
    virtual account NT SERVICE\<ServiceName> (no password to manage), gives that account modify rights on the data
    folder and on each -DropFolders entry, read rights on the program and configuration, and sets recovery actions
    (restart after 5 s, 10 s, 60 s; also when the service stops with a non-zero exit code). Run it again to upgrade.

    A drop folder on another computer (\\acq-pc-01\export\tq5500): a virtual account reaches the network as the
    computer account (DOMAIN\THISHOST$). Grant that account Change on the share and Modify on the folder there, or
    run the service as a group managed service account (-Account 'DOMAIN\gmsa-mirtlab$').
.EXAMPLE
    .\install.ps1 -PublishDir ..\..\out\mirtlab -DropFolders '\\acq-pc-01\export\tq5500','D:\Instruments\hplc1'
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $PublishDir,
    [string] $InstallDir = (Join-Path $env:ProgramFiles 'MirtLab'),
    [string] $ConfigDir = (Join-Path $env:ProgramData 'MirtLab\config'),
    [string] $DataDir = (Join-Path $env:ProgramData 'MirtLab\data'),
    [string] $ServiceName = 'MirtLab',
    [string] $Account = '',
    [string[]] $DropFolders = @()
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
if (-not $Account) { $Account = "NT SERVICE\$ServiceName" }

function Invoke-Native([string] $What, [scriptblock] $Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed with exit code $LASTEXITCODE" }
}

$exe = Join-Path $PublishDir 'mirtlab.exe'
if (-not (Test-Path $exe)) { throw "'$exe' is missing: publish first (on Windows: dotnet publish src\MirtLab.Worker -c Release -o $PublishDir)" }

# An upgrade replaces the program while the service is stopped.
$existing = Get-Service -Name $ServiceName -ErrorAction SilentlyContinue
if ($existing -and $existing.Status -ne 'Stopped') { Stop-Service -Name $ServiceName }

New-Item -ItemType Directory -Force -Path $InstallDir, $ConfigDir, $DataDir | Out-Null
Copy-Item -Path (Join-Path $PublishDir '*') -Destination $InstallDir -Recurse -Force

# Configuration: the shipped files only where none exist; the data root becomes $DataDir.
foreach ($file in 'appsettings.json', 'rules.json') {
    $target = Join-Path $ConfigDir $file
    if (-not (Test-Path $target)) {
        Copy-Item (Join-Path $PublishDir "config\$file") $target
        if ($file -eq 'appsettings.json') {
            $escaped = $DataDir.Replace('\', '\\')
            (Get-Content -Raw $target).Replace('"DataRoot": "../data"', "`"DataRoot`": `"$escaped`"") | Set-Content -Encoding utf8 $target
        }
    }
}
$formats = Join-Path $PublishDir 'config\formats'
if ((Test-Path $formats) -and -not (Test-Path (Join-Path $ConfigDir 'formats'))) {
    Copy-Item $formats (Join-Path $ConfigDir 'formats') -Recurse
}

$binPath = "`"$(Join-Path $InstallDir 'mirtlab.exe')`" --config `"$(Join-Path $ConfigDir 'appsettings.json')`""
if (-not $existing) {
    New-Service -Name $ServiceName -BinaryPathName $binPath -DisplayName 'MirtLab instrument integration' `
        -Description 'Reads instrument exports from drop folders, normalises and flags results, delivers them to the LIS and MQTT.' `
        -StartupType Automatic | Out-Null
} else {
    Invoke-Native 'sc.exe config binPath' { sc.exe config $ServiceName binPath= $binPath }
}

# The service's own SID, so NT SERVICE\<name> can be given rights; then the account, start mode and recovery.
Invoke-Native 'sc.exe sidtype' { sc.exe sidtype $ServiceName unrestricted }
Invoke-Native 'sc.exe config obj' { sc.exe config $ServiceName obj= $Account start= delayed-auto }
Invoke-Native 'sc.exe failure' { sc.exe failure $ServiceName reset= 86400 actions= restart/5000/restart/10000/restart/60000 }
Invoke-Native 'sc.exe failureflag' { sc.exe failureflag $ServiceName 1 }

# Rights: data (and drop folders) modify — moving an input out of its inbox needs delete on the inbox; program and
# configuration read only; nobody else but SYSTEM and Administrators on data and configuration.
Invoke-Native 'icacls data' { icacls $DataDir /inheritance:r /grant:r 'SYSTEM:(OI)(CI)F' 'BUILTIN\Administrators:(OI)(CI)F' "${Account}:(OI)(CI)M" }
Invoke-Native 'icacls config' { icacls $ConfigDir /inheritance:r /grant:r 'SYSTEM:(OI)(CI)F' 'BUILTIN\Administrators:(OI)(CI)F' "${Account}:(OI)(CI)RX" }
Invoke-Native 'icacls program' { icacls $InstallDir /grant "${Account}:(OI)(CI)RX" }
foreach ($folder in $DropFolders) {
    if ($folder.StartsWith('\\')) {
        Write-Warning "$folder is on another computer: grant the computer account ($env:USERDOMAIN\$env:COMPUTERNAME`$) Change on the share and Modify on the folder there."
    } else {
        New-Item -ItemType Directory -Force -Path $folder | Out-Null
        Invoke-Native "icacls $folder" { icacls $folder /grant "${Account}:(OI)(CI)M" }
    }
}

Invoke-Native 'mirtlab config validate' { & (Join-Path $InstallDir 'mirtlab.exe') config validate --config (Join-Path $ConfigDir 'appsettings.json') }
Start-Service -Name $ServiceName
Get-Service -Name $ServiceName | Format-Table -AutoSize Name, Status, StartType
Write-Host "Is it working: & '$InstallDir\mirtlab.exe' status --config '$ConfigDir\appsettings.json'; Invoke-WebRequest http://127.0.0.1:5080/health/ready"
