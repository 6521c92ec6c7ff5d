#Requires -RunAsAdministrator
<#
.SYNOPSIS
    Removes the MirtLab Windows service (and, with -RemoveProgram, the program folder).
.DESCRIPTION
    Configuration and data (inputs, archive, quarantine, store, audit trail) are kept: MirtLab never deletes an
    input or a record. Remove them by hand once they are archived elsewhere.
#>
[CmdletBinding()]
param(
    [string] $ServiceName = 'MirtLab',
    [string] $InstallDir = (Join-Path $env:ProgramFiles 'MirtLab'),
    [switch] $RemoveProgram
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$service = Get-Service -Name $ServiceName -ErrorAction SilentlyContinue
if ($service) {
    if ($service.Status -ne 'Stopped') { Stop-Service -Name $ServiceName }
    sc.exe delete $ServiceName | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "sc.exe delete failed with exit code $LASTEXITCODE" }
    Write-Host "Removed the service $ServiceName."
}
if ($RemoveProgram -and (Test-Path $InstallDir)) {
    Remove-Item -Recurse -Force $InstallDir
    Write-Host "Removed $InstallDir."
}
Write-Host 'Configuration and data were kept.'
