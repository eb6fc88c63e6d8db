BeforeAll {
    $manifestPath = Join-Path $PSScriptRoot '../../out/BookBatch/BookBatch.psd1'
    $module = Import-Module $manifestPath -Force -PassThru -ErrorAction Stop
    $manifest = Import-PowerShellDataFile -Path $manifestPath
    # The manifest's list, sorted: what the module must export, no more and no less.
    $listedCmdlets = @($manifest['CmdletsToExport'] | Sort-Object)
    # The cmdlets the module must have; a new cmdlet joins the manifest's list and this one.
    $coreCmdlets = @(
        'Add-Book'
        'Complete-Book'
        'Get-BatchSummary'
        'Get-BookRun'
        'Get-BookStatus'
        'Invoke-BookBatch'
        'New-BookWorkspace'
        'Remove-Book'
        'Repair-BookDatabase'
        'Reset-Book'
        'Stop-BookStage'
        'Test-BookDatabase'
        'Register-BookBatchSchedule'
        'Get-BookBatchSchedule'
        'Unregister-BookBatchSchedule'
        'Set-BookBatchMailCredential'
        'Get-BookBatchMailCredential'
        'Remove-BookBatchMailCredential'
        'Get-BookBatchStore'
        'Update-BookBatchStore'
        'Import-BookBatchStore'
        'Export-BookBatchStore'
    )
}

Describe 'The BookBatch module' {
    Context 'manifest' {
        It 'is a valid module manifest' {
            { Test-ModuleManifest -Path $manifestPath -ErrorAction Stop } | Should -Not -Throw
        }

        It 'lists the cmdlets to export explicitly, every BookBatch cmdlet among them' {
            $manifest.ContainsKey('CmdletsToExport') | Should -BeTrue
            $listedCmdlets.Count | Should -BeGreaterOrEqual $coreCmdlets.Count
            foreach ($name in $listedCmdlets) {
                $name | Should -Not -Match '[*?\[]' -Because 'a wildcard exports whatever the assembly happens to contain'
            }
            foreach ($name in $coreCmdlets) {
                $listedCmdlets | Should -Contain $name
            }
        }

        It 'exports no functions, aliases or variables' {
            foreach ($key in 'FunctionsToExport', 'AliasesToExport', 'VariablesToExport') {
                $manifest.ContainsKey($key) | Should -BeTrue -Because "a missing $key exports everything"
                @($manifest[$key]).Count | Should -Be 0 -Because "$key must be empty"
            }
        }

        It 'is compatible with both Desktop and Core editions' {
            $editions = @($manifest['CompatiblePSEditions'])
            $editions | Should -Contain 'Desktop'
            $editions | Should -Contain 'Core'
        }

        It 'names the assembly as its root module' {
            $manifest['RootModule'] | Should -BeExactly 'BookBatch.PowerShell.dll'
        }
    }

    Context 'imported module' {
        It 'is loaded from the staged folder' {
            $module.Name | Should -BeExactly 'BookBatch'
            $module.ModuleType | Should -Be 'Binary'
            $module.Version | Should -Be ([version] $manifest['ModuleVersion'])
        }

        It 'exports exactly the cmdlets its manifest lists' {
            (@($module.ExportedCmdlets.Keys | Sort-Object) -join ', ') | Should -BeExactly ($listedCmdlets -join ', ')
            $commands = @(Get-Command -Module BookBatch)
            (@($commands | ForEach-Object { $_.Name } | Sort-Object) -join ', ') | Should -BeExactly ($listedCmdlets -join ', ')
            foreach ($command in $commands) {
                $command.CommandType | Should -Be 'Cmdlet'
            }
        }

        It 'exports no functions, aliases or variables' {
            $module.ExportedFunctions.Count | Should -Be 0
            $module.ExportedAliases.Count | Should -Be 0
            $module.ExportedVariables.Count | Should -Be 0
        }
    }

    Context 'parameter names' {
        It 'gives each parameter name one kind of value on every cmdlet (one or several of it is the same kind)' {
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            $kindOf = {
                param([type] $Type)
                if ($Type.IsArray) { $Type = $Type.GetElementType() }
                $Type = ([Nullable]::GetUnderlyingType($Type), $Type -ne $null)[0]
                if ($Type -eq [switch] -or $Type -eq [bool]) { 'switch' }
                elseif ($Type.IsEnum) { 'choice of ' + $Type.Name }
                elseif ($Type -eq [string]) { 'text' }
                elseif ($Type -eq [datetime] -or $Type -eq [datetimeoffset]) { 'time' }
                elseif ($Type -eq [timespan]) { 'duration' }
                elseif ($Type.IsPrimitive -or $Type -eq [decimal]) { 'number' }
                else { 'object' }
            }
            $names = foreach ($command in Get-Command -Module BookBatch) {
                foreach ($parameter in $command.Parameters.Values | Where-Object { $common -notcontains $_.Name }) {
                    foreach ($name in @($parameter.Name) + @($parameter.Aliases)) {
                        [pscustomobject]@{ Name = $name; Kind = & $kindOf $parameter.ParameterType; Cmdlet = $command.Name }
                    }
                }
            }
            @($names).Count | Should -BeGreaterThan 50
            $clashes = @($names | Group-Object Name | Where-Object { @($_.Group.Kind | Sort-Object -Unique).Count -gt 1 } |
                ForEach-Object { "-$($_.Name): " + (($_.Group | ForEach-Object { "$($_.Kind) on $($_.Cmdlet)" }) -join '; ') })
            $clashes -join "`n" | Should -BeNullOrEmpty
        }
    }

    Context 'help' {
        # Test cases are made during discovery, before BeforeAll runs: read the manifest here too.
        $helpCases = @(
            foreach ($name in @((Import-PowerShellDataFile -Path (Join-Path $PSScriptRoot '../../out/BookBatch/BookBatch.psd1'))['CmdletsToExport'])) {
                @{ Command = [string] $name }
            }
        )

        It '<Command> has help with at least two examples' -TestCases $helpCases {
            param($Command)
            $help = Get-Help -Name $Command -Full -ErrorAction Stop
            $examples = @()
            if ($help.PSObject.Properties['examples'] -and $help.examples -and $help.examples.PSObject.Properties['example']) {
                $examples = @($help.examples.example | Where-Object { $null -ne $_ })
            }
            $examples.Count | Should -BeGreaterOrEqual 2 -Because "every cmdlet's help shows how to use it"
            foreach ($example in $examples) {
                ([string] $example.code).Trim() | Should -Not -BeNullOrEmpty
            }
        }

        It '<Command> has a synopsis' -TestCases $helpCases {
            param($Command)
            $help = Get-Help -Name $Command -ErrorAction Stop
            $synopsis = ([string] $help.Synopsis).Trim()
            $synopsis | Should -Not -BeNullOrEmpty
            # Without a help file, PowerShell shows the syntax in place of a synopsis.
            $synopsis | Should -Not -Match 'CommonParameters'
        }
    }
}
