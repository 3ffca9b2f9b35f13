if __name__ == '__channelexec__':
    channel.send('hello from a resource')
